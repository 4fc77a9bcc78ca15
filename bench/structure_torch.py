"""PyTorch peer of bench/structure.ts: the thesis's random-structure network
(its ArbitraryStructureRNN, written here from the thesis's description, not copied)
built from OUR network as bench/structure.ts exports it (Network.toJSON: mode, layer
sizes, skip blocks, every block's 0/1 masks and weights, embedding, head), so both
sides run the same graph from the same initial weights.

The network, as the thesis builds it:
- each layer of the layered DAG is a masked recurrent layer whose units are the graph's
  nodes in that layer (weight_ih, weight_hh, bias_ih, bias_hh, PyTorch's gate order:
  GRU r,z,n; LSTM i,f,g,o); its weights are multiplied by fixed 0/1 masks (the edges
  between the layers; weight_hh's mask is all ones in the layered mapping) every time
  the layer is called, i.e. at every time step, and the layer is stepped by a Python
  loop over time with h0 = c0 = 0;
- each skip block s -> t (edges that jump layers) is a masked recurrent layer of layer
  t's size over layer s's output sequence; its output sequence is added to layer t's;
- embedding vocab x (first layer size), Linear head on the last layer's output at the
  final padded step ("post" padding), cross-entropy, Adam, global-norm gradient clip.

    /usr/bin/python3 bench/structure_torch.py time NET.json BATCHES.json [--limit N]
        [--repeats R] [--warmup W] [--lr 1e-3] [--clip 5] [--threads 1] [--masking per-step|per-sequence]
    /usr/bin/python3 bench/structure_torch.py check NET.json BATCHES.json [--steps 1] [--lr 1e-3] [--clip 5]

BATCHES.json: {"batches": [{"tokens": [[...], ...], "labels": [...]}, ...]} (already
post-padded), as bench/torch_epoch.py reads it.

time: float32 (the thesis's dtype) on --threads threads; trains W untimed warm-up
batches, then times the first N batches of the epoch and extrapolates to the whole
epoch; R repeats, each from the exported initial weights. Prints one JSON line per
repeat ({"repeat", "batches", "measured", "seconds", "secondsPerEpoch"}) and a last
line {"median": ..., "runs": [...]}.
--masking per-sequence is a stronger peer than the thesis's code: the masked weights
are formed once per layer per forward pass instead of at every step.

check: float64, the first batch: the loss and logits of a forward pass, every gradient
(parameter order: per block weight_ih, weight_hh, bias_ih, bias_hh; embedding, head
weight, head bias -- Network.parameterArrays()'s), the gradient norm, then S clipped
Adam steps: the loss before each step and after the last, and every parameter after
the last step. Prints one JSON object.
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn

GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "GRU": 3, "LSTM": 4}


class MaskedRecurrentLayer(nn.Module):
    """One recurrent layer (or skip block) with fixed 0/1 masks on weight_ih and weight_hh."""

    def __init__(self, mode, input_size, hidden, block, dtype):
        super().__init__()
        self.mode, self.hidden = mode, hidden
        rows = GATES[mode] * hidden

        def tensor(values, *shape):
            return torch.tensor(values, dtype=dtype).reshape(*shape)

        def mask(bits, *shape):
            return torch.tensor([1.0 if ch == "1" else 0.0 for ch in bits], dtype=dtype).reshape(*shape)

        self.weight_ih = nn.Parameter(tensor(block["wIH"], rows, input_size))
        self.weight_hh = nn.Parameter(tensor(block["wHH"], rows, hidden))
        self.bias_ih = nn.Parameter(tensor(block["bIH"], rows))
        self.bias_hh = nn.Parameter(tensor(block["bHH"], rows))
        self.register_buffer("mask_ih", mask(block["maskIH"], rows, input_size))
        self.register_buffer("mask_hh", mask(block["maskHH"], rows, hidden))

    def forward(self, x, state):
        """One time step; the masks are applied at every call, as the thesis's layer does."""
        return self.cell(x, state, self.weight_ih * self.mask_ih, self.weight_hh * self.mask_hh)

    def cell(self, x, state, w_ih, w_hh):
        h, c = state
        gi = torch.mm(x, w_ih.t()) + self.bias_ih
        gh = torch.mm(h, w_hh.t()) + self.bias_hh
        if self.mode == "RNN_TANH":
            return torch.tanh(gi + gh), c
        if self.mode == "RNN_RELU":
            return torch.relu(gi + gh), c
        if self.mode == "GRU":
            i_r, i_z, i_n = gi.chunk(3, 1)
            h_r, h_z, h_n = gh.chunk(3, 1)
            r = torch.sigmoid(i_r + h_r)
            z = torch.sigmoid(i_z + h_z)
            n = torch.tanh(i_n + r * h_n)
            return n + z * (h - n), c
        i, f, g, o = (gi + gh).chunk(4, 1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c

    def unroll(self, xs, masking):
        """The output sequence (B x T x H) over an input sequence (B x T x I), h0 = c0 = 0."""
        batch, steps = xs.shape[0], xs.shape[1]
        h = xs.new_zeros(batch, self.hidden)
        state = (h, h.clone())
        outputs = []
        if masking == "per-sequence":
            w_ih, w_hh = self.weight_ih * self.mask_ih, self.weight_hh * self.mask_hh
            for t in range(steps):
                state = self.cell(xs[:, t], state, w_ih, w_hh)
                outputs.append(state[0])
        else:
            for t in range(steps):
                state = self(xs[:, t], state)
                outputs.append(state[0])
        return torch.stack(outputs, 1)


class ArbitraryStructureNet(nn.Module):
    """Embedding -> masked layers with skip blocks -> Linear head on the last step."""

    def __init__(self, net, dtype, masking="per-step"):
        super().__init__()
        spec = net["spec"]
        self.masking = masking
        mode = spec["mode"]
        sizes = [layer["size"] for layer in spec["layers"]]
        self.skip_pairs = [(s["from"], s["to"]) for s in spec["skips"]]
        blocks = net["blocks"]
        if len(blocks) != len(sizes) + len(self.skip_pairs):
            raise ValueError(f"{len(blocks)} blocks for {len(sizes)} layers and {len(self.skip_pairs)} skips")
        self.layers = nn.ModuleList(
            MaskedRecurrentLayer(mode, sizes[0] if l == 0 else sizes[l - 1], sizes[l], blocks[l], dtype) for l in range(len(sizes)))
        self.skips = nn.ModuleList(
            MaskedRecurrentLayer(mode, sizes[s], sizes[t], blocks[len(sizes) + k], dtype) for k, (s, t) in enumerate(self.skip_pairs))
        self.embedding = nn.Embedding(spec["vocab"], sizes[0])
        self.head = nn.Linear(sizes[-1], spec["classes"])
        self.to(dtype)  # before the copies, so float64 weights arrive unrounded
        with torch.no_grad():
            self.embedding.weight.copy_(torch.tensor(net["embedding"], dtype=dtype).reshape(spec["vocab"], sizes[0]))
            self.head.weight.copy_(torch.tensor(net["headW"], dtype=dtype).reshape(spec["classes"], sizes[-1]))
            self.head.bias.copy_(torch.tensor(net["headB"], dtype=dtype))

    def ordered_parameters(self):
        """Network.parameterArrays()'s order."""
        out = []
        for block in list(self.layers) + list(self.skips):
            out += [block.weight_ih, block.weight_hh, block.bias_ih, block.bias_hh]
        return out + [self.embedding.weight, self.head.weight, self.head.bias]

    def forward(self, tokens):
        outs = []
        x = self.embedding(tokens)
        for l, layer in enumerate(self.layers):
            out = layer.unroll(x if l == 0 else outs[l - 1], self.masking)
            for (s, t), skip in zip(self.skip_pairs, self.skips):
                if t == l:
                    out = out + skip.unroll(outs[s], self.masking)
            outs.append(out)
        return self.head(outs[-1][:, -1])


def load_batches(path):
    data = json.load(open(path))
    return [(torch.tensor(b["tokens"], dtype=torch.long), torch.tensor(b["labels"], dtype=torch.long)) for b in data["batches"]]


def train_step(model, opt, loss_fn, tokens, labels, clip):
    opt.zero_grad()
    loss = loss_fn(model(tokens), labels)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), clip)
    opt.step()
    return loss


def time_epoch(args):
    torch.set_num_threads(args.threads)
    net = json.load(open(args.net))
    batches = load_batches(args.batches)
    limit = min(args.limit or len(batches), len(batches))
    loss_fn = nn.CrossEntropyLoss()
    runs = []
    for repeat in range(args.repeats):
        model = ArbitraryStructureNet(net, torch.float32, args.masking)
        opt = torch.optim.Adam(model.parameters(), lr=args.lr)
        for tokens, labels in batches[: args.warmup]:  # warm-up, untimed
            train_step(model, opt, loss_fn, tokens, labels, args.clip)
        start = time.perf_counter()
        for tokens, labels in batches[:limit]:
            train_step(model, opt, loss_fn, tokens, labels, args.clip)
        seconds = time.perf_counter() - start
        runs.append(seconds / limit * len(batches))
        print(json.dumps({"repeat": repeat, "batches": len(batches), "measured": limit, "seconds": seconds,
                          "secondsPerEpoch": runs[-1]}), flush=True)
    print(json.dumps({"median": statistics.median(runs), "runs": runs, "masking": args.masking,
                      "threads": torch.get_num_threads(), "torch": torch.__version__}), flush=True)


def flat(t):
    return t.detach().reshape(-1).tolist()


def check(args):
    torch.set_num_threads(1)
    net = json.load(open(args.net))
    tokens, labels = load_batches(args.batches)[0]
    model = ArbitraryStructureNet(net, torch.float64, args.masking)
    params = model.ordered_parameters()
    if len(params) != len(list(model.parameters())):
        raise RuntimeError("ordered_parameters misses parameters")
    opt = torch.optim.Adam(params, lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
    logits = model(tokens)
    loss = loss_fn(logits, labels)
    loss.backward()
    grads = [flat(p.grad) for p in params]
    grad_norm = float(torch.sqrt(sum((p.grad ** 2).sum() for p in params)))
    losses = []
    for step in range(args.steps):
        losses.append(float(train_step(model, opt, loss_fn, tokens, labels, args.clip)))
    with torch.no_grad():
        losses.append(float(loss_fn(model(tokens), labels)))
    print(json.dumps({"loss": float(loss), "logits": flat(logits), "grads": grads, "gradNorm": grad_norm,
                      "losses": losses, "paramsAfter": [flat(p) for p in params], "torch": torch.__version__}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("time", "check"):
        p = sub.add_parser(name)
        p.add_argument("net")
        p.add_argument("batches")
        p.add_argument("--lr", type=float, default=1e-3)
        p.add_argument("--clip", type=float, default=5.0)
        p.add_argument("--masking", choices=["per-step", "per-sequence"], default="per-step")
    t = sub.choices["time"]
    t.add_argument("--limit", type=int, default=0, help="batches timed (0: the whole epoch)")
    t.add_argument("--repeats", type=int, default=1)
    t.add_argument("--warmup", type=int, default=3)
    t.add_argument("--threads", type=int, default=1)
    sub.choices["check"].add_argument("--steps", type=int, default=1)
    args = parser.parse_args()
    (time_epoch if args.command == "time" else check)(args)


if __name__ == "__main__":
    main()
