import re
from collections import Counter
from itertools import pairwise

CHUNK = re.compile(r" ?[^\s]+|\s+")  # a word with its leading space, or a run of whitespace


def merge(ids, pair, new_id):
    """Replace every occurrence of `pair` in ids, left to right, without overlaps."""
    out, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and (ids[i], ids[i + 1]) == pair:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


class BPETokenizer:
    """Byte-level BPE: 256 byte ids, then one new id per merge; pairs never cross chunk boundaries."""

    def __init__(self):
        self.merges = []  # (a, b) in the order learned; merge i makes id 256 + i

    def train(self, text, vocab_size):
        chunks = [list(chunk.encode("utf-8")) for chunk in CHUNK.findall(text)]
        self.merges = []
        while 256 + len(self.merges) < vocab_size:
            counts = Counter(pair for ids in chunks for pair in pairwise(ids))
            if not counts or max(counts.values()) < 2:
                break  # nothing left that occurs twice
            top = max(counts.values())
            pair = min(p for p, c in counts.items() if c == top)  # ties: the smallest (a, b)
            new_id = 256 + len(self.merges)
            chunks = [merge(ids, pair, new_id) for ids in chunks]
            self.merges.append(pair)
        return list(self.merges)

    def encode(self, text):
        rank = {pair: i for i, pair in enumerate(self.merges)}
        out = []
        for chunk in CHUNK.findall(text):
            ids = list(chunk.encode("utf-8"))
            while len(ids) >= 2:
                pair = min(pairwise(ids), key=lambda p: rank.get(p, len(rank)))  # the earliest-learned pair
                if pair not in rank:
                    break
                ids = merge(ids, pair, 256 + rank[pair])
            out += ids
        return out
