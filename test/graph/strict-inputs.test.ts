/** Edge lists, layerings and generators refuse bad input before any work, naming the value. */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  barabasiAlbert, connected, connectedErdosRenyi, connectedWattsStrogatz, edgesOf, erdosRenyi, formatEdges, graphFromEdges,
  layerEdges, parseEdges, wattsStrogatz, type Edge, type Rng,
} from "../../src/graph";
import { Random } from "../../src/data";

test("good edge text still parses, in either orientation, and round-trips through formatEdges", () => {
  assert.deepEqual(parseEdges(" 0-2  2-1\t1-3 "), [[0, 2], [1, 2], [1, 3]]);
  assert.deepEqual(parseEdges("0-2 1-2", 3), [[0, 2], [1, 2]]);
  assert.deepEqual(parseEdges(""), []);
  const edges: Edge[] = [[0, 3], [1, 2], [2, 3]];
  assert.deepEqual(parseEdges(formatEdges(edges), 4), edges);
});

test("parseEdges refuses self-loops, negative, fractional and out-of-range ids, duplicates and junk", () => {
  const bad: Array<[string, number | undefined, RegExp]> = [
    ["0-2 1-1 1-3", undefined, /parseEdges: "1-1" \(pair 2 of 3\) is a self-loop at node 1/],
    ["-1-2", undefined, /parseEdges: "-1-2" \(pair 1 of 1\) is not an edge like "3-7"/],
    ["0-1.5", undefined, /parseEdges: "0-1\.5" \(pair 1 of 1\) is not an edge/],
    ["0-2 2-0", undefined, /parseEdges: "2-0" \(pair 2 of 2\) repeats "0-2" \(pair 1; edges are undirected\)/],
    ["0-2 0-2", undefined, /parseEdges: "0-2" \(pair 2 of 2\) repeats "0-2"/],
    ["0-2 1-5", 5, /parseEdges: "1-5" \(pair 2 of 2\) names node 5 but the graph has 5 nodes \(ids 0…4\)/],
    ["0:2", undefined, /parseEdges: "0:2" \(pair 1 of 1\) is not an edge/],
    ["0-99999999999999999999", undefined, /parseEdges: "0-99999999999999999999" \(pair 1 of 1\) has a node id too large/],
    ["0-1", 0, /parseEdges: n \(the node count\) must be a positive integer, got 0/],
  ];
  for (const [text, n, message] of bad) assert.throws(() => parseEdges(text, n), message, text);
  assert.throws(() => parseEdges(undefined as unknown as string), /parseEdges: expected a string like "0-2 1-2", got undefined/);
});

test("layerEdges and graphFromEdges check their edges the same way", () => {
  const bad: Array<[number, unknown[], RegExp]> = [
    [3, [[0, 1], [1, 1]], /edge 1 = \[1, 1\] is a self-loop at node 1/],
    [4, [[0, 2], [2, 0]], /edge 1 = \[2, 0\] duplicates edge 0 = \[0, 2\] \(edges are undirected\)/],
    [3, [[-1, 2]], /edge 0 = \[-1, 2\]: node id -1 is not a non-negative integer/],
    [3, [[0, 1.5]], /edge 0 = \[0, 1\.5\]: node id 1\.5 is not a non-negative integer/],
    [3, [[0, NaN]], /edge 0 = \[0, NaN\]: node id NaN is not a non-negative integer/],
    [3, [[0, "2"]], /edge 0 = \[0, "2"\]: node id "2" is not a non-negative integer/],
    [3, [[0, 5]], /edge \[0, 5\] names node 5 but the graph has 3 nodes/],
    [3, [[0, 1, 2]], /edge 0 must be a pair \[u, v\], got \[0, 1, 2\]/],
    [0, [], /n \(the node count\) must be a positive integer, got 0/],
    [2.5, [], /n \(the node count\) must be a positive integer, got 2\.5/],
  ];
  for (const [n, edges, message] of bad) {
    assert.throws(() => layerEdges(n, edges as Edge[]), new RegExp(`layerEdges: ${message.source}`));
    assert.throws(() => graphFromEdges(n, edges as Edge[]), new RegExp(`graphFromEdges: ${message.source}`));
  }
  // the phantom layer a self-loop used to add is gone: the worked example is unchanged
  assert.deepEqual(layerEdges(5, [[0, 2], [1, 2], [1, 3], [2, 3], [2, 4], [3, 4]]).layers, [[0, 1], [2], [3], [4]]);
});

test("generators validate n, k, m, p and tries before any draw (networkx's rules)", () => {
  const rng = new Random(1);
  const bad: Array<[() => unknown, RegExp]> = [
    [() => connectedWattsStrogatz(40, 0, 1, Infinity, rng), /connectedWattsStrogatz: k=0 joins no neighbours/],
    [() => connectedWattsStrogatz(40, 1, 0.5, 10, rng), /connectedWattsStrogatz: k=1 joins no neighbours/],
    [() => connectedWattsStrogatz(40, 4, 1, Infinity, rng), /connectedWattsStrogatz: tries must be a positive finite integer, got Infinity/],
    [() => connectedWattsStrogatz(40, 4, 1, 0, rng), /tries must be a positive finite integer, got 0/],
    [() => connectedWattsStrogatz(40, 4, 1, 2.5, rng), /tries must be a positive finite integer, got 2\.5/],
    [() => connectedWattsStrogatz(40, 41, 1, 10, rng), /need an integer k with 0 ≤ k ≤ n \(networkx: "k>n, choose smaller k or larger n"\), got n=40, k=41/],
    [() => connectedWattsStrogatz(40, 4.5, 1, 10, rng), /got n=40, k=4\.5/],
    [() => connectedWattsStrogatz(40, 4, 1.5, 10, rng), /connectedWattsStrogatz: p must be a probability in \[0, 1\], got 1\.5/],
    [() => connectedWattsStrogatz(40, 4, NaN, 10, rng), /p must be a probability in \[0, 1\], got NaN/],
    [() => connectedWattsStrogatz(0, 0, 1, 10, rng), /connectedWattsStrogatz: n must be an integer in 1…10000, got 0/],
    [() => connectedWattsStrogatz(1e9, 4, 1, 10, rng), /n must be an integer in 1…10000, got 1000000000/],
    [() => wattsStrogatz(10, -2, 0.5, rng), /wattsStrogatz: need an integer k with 0 ≤ k ≤ n .* got n=10, k=-2/],
    [() => wattsStrogatz(10, 4, -0.1, rng), /wattsStrogatz: p must be a probability in \[0, 1\], got -0\.1/],
    [() => barabasiAlbert(10, 0, rng), /barabasiAlbert: Barabási–Albert network must have m >= 1 and m < n \(m an integer\), got n=10, m=0/],
    [() => barabasiAlbert(10, 10, rng), /m >= 1 and m < n .*got n=10, m=10/],
    [() => barabasiAlbert(10, 2.5, rng), /got n=10, m=2\.5/],
    [() => barabasiAlbert(Infinity, 2, rng), /barabasiAlbert: n must be an integer in 1…10000, got Infinity/],
    [() => barabasiAlbert(10, 2, {} as Rng), /barabasiAlbert: rng must have nextFloat\(\) and nextInt\(n\)/],
    [() => erdosRenyi(10, 2, rng), /erdosRenyi: p must be a probability in \[0, 1\], got 2/],
    [() => connectedErdosRenyi(10, 0, 10, rng), /connectedErdosRenyi: p=0 gives a graph without edges, so no graph on n=10 nodes can be connected/],
    [() => connectedErdosRenyi(10, 0.3, Infinity, rng), /connectedErdosRenyi: tries must be a positive finite integer, got Infinity/],
    [() => connectedErdosRenyi(10, 0.3, -1, rng), /tries must be a positive finite integer, got -1/],
    [() => connected(() => erdosRenyi(5, 0.5, rng), NaN), /connected: tries must be a positive finite integer, got NaN/],
  ];
  for (const [fn, message] of bad) {
    const started = Date.now();
    assert.throws(fn, message);
    assert.ok(Date.now() - started < 1000, `${message}: refused only after ${Date.now() - started} ms`);
  }
});

test("rejection loops are bounded: a broken random source is an error, not a hang", () => {
  const stuck: Rng = { nextFloat: () => 0, nextInt: () => 0 }; // always node 0
  assert.throws(() => wattsStrogatz(10, 4, 1, stuck), /wattsStrogatz: no node to rewire node 0 to in 2000 draws; is the random source broken\?/);
  assert.throws(() => barabasiAlbert(10, 2, stuck), /barabasiAlbert: drew \d+ times without finding 2 distinct targets \(1 so far\); is the random source broken\?/);
});

test("valid calls still build the same graphs (the bounds change no draw)", () => {
  const a = connectedWattsStrogatz(30, 6, 0.5, 10, new Random(4));
  const b = connectedWattsStrogatz(30, 6, 0.5, 10, new Random(4));
  assert.deepEqual(edgesOf(a), edgesOf(b));
  assert.equal(a.getLinkCount(), 30 * 3);
  assert.equal(barabasiAlbert(20, 3, new Random(2)).getLinkCount(), 3 * 17);
  assert.equal(connectedWattsStrogatz(1, 0, 0.5, 1, new Random(1)).getNodeCount(), 1); // one node is connected
  assert.ok(connectedErdosRenyi(12, 0.4, 50, new Random(3)).getLinkCount() >= 11);
});
