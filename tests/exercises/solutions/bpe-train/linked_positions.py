import re
from itertools import pairwise


class BPETokenizer:
    # one flat list of ids with chunk boundaries as None sentinels; pairs with a None never count
    def __init__(self):
        self.table = {}

    def _flat(self, text):
        flat = []
        for chunk in re.findall(r" ?[^\s]+|\s+", text):
            flat.extend(chunk.encode("utf-8"))
            flat.append(None)
        return flat

    def _apply(self, flat, pair, new):
        out, i = [], 0
        while i < len(flat):
            if i + 1 < len(flat) and flat[i] is not None and (flat[i], flat[i + 1]) == pair:
                out.append(new)
                i += 2
            else:
                out.append(flat[i])
                i += 1
        return out

    def train(self, text, vocab_size):
        flat = self._flat(text)
        self.table = {}
        while 256 + len(self.table) < vocab_size:
            counts = {}
            for a, b in pairwise(flat):
                if a is not None and b is not None:
                    counts[(a, b)] = counts.get((a, b), 0) + 1
            best = min(counts, key=lambda p: (-counts[p], p), default=None)
            if best is None or counts[best] < 2:
                break
            self.table[best] = 256 + len(self.table)
            flat = self._apply(flat, best, self.table[best])
        return sorted(self.table, key=self.table.get)

    def encode(self, text):
        flat = self._flat(text)
        while True:
            present = {(a, b) for a, b in pairwise(flat) if (a, b) in self.table}
            if not present:
                break
            pair = min(present, key=self.table.get)
            flat = self._apply(flat, pair, self.table[pair])
        return [t for t in flat if t is not None]
