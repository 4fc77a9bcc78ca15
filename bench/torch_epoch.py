"""PyTorch peer of bench/engine.ts: seconds per training epoch of the thesis's base
network (embedding 128x50, nn.RNN/GRU/LSTM 3x50, linear 50->2, post padding,
cross-entropy, clip_grad_norm_ 5, Adam 1e-3) on ONE thread.

    /usr/bin/python3 bench/torch_epoch.py BATCHES.json MODE[,MODE…] [MAX_BATCHES]

BATCHES.json: {"batches": [{"tokens": [[…], …], "labels": […]}, …]} (already padded),
written by bench/engine.ts so both sides train on identical batches. Prints one JSON
line per mode: {"mode", "batches", "measured", "seconds", "secondsPerEpoch"}.
"""
import json
import sys
import time

import torch
from torch import nn

torch.set_num_threads(1)


class Net(nn.Module):
    def __init__(self, mode):
        super().__init__()
        self.emb = nn.Embedding(128, 50)
        if mode.startswith("RNN"):
            self.rnn = nn.RNN(50, 50, num_layers=3, batch_first=True, nonlinearity="tanh" if mode == "RNN_TANH" else "relu")
        else:
            self.rnn = (nn.GRU if mode == "GRU" else nn.LSTM)(50, 50, num_layers=3, batch_first=True)
        self.head = nn.Linear(50, 2)

    def forward(self, tokens):
        return self.head(self.rnn(self.emb(tokens))[0][:, -1])


def main():
    data = json.load(open(sys.argv[1]))
    batches = [(torch.tensor(b["tokens"], dtype=torch.long), torch.tensor(b["labels"], dtype=torch.long)) for b in data["batches"]]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else len(batches)
    for mode in sys.argv[2].split(","):
        torch.manual_seed(1)
        net = Net(mode)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        for tokens, labels in batches[:3]:  # warm-up, untimed
            opt.zero_grad(); loss_fn(net(tokens), labels).backward(); opt.step()
        start = time.perf_counter()
        for tokens, labels in batches[:limit]:
            opt.zero_grad()
            loss = loss_fn(net(tokens), labels)
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5)
            opt.step()
        seconds = time.perf_counter() - start
        print(json.dumps({"mode": mode, "batches": len(batches), "measured": limit, "seconds": seconds,
                          "secondsPerEpoch": seconds / limit * len(batches)}), flush=True)


if __name__ == "__main__":
    main()
