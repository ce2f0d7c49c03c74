"""The pair to merge is Counter.most_common(1): on a tie it takes the pair seen first, not the smallest pair.

fact: the merges differ from the first tie in pair counts on (ties not broken by the smallest pair)
named_if: tie
"""
import re
from collections import Counter

PATTERN = re.compile(r" ?[^\s]+|\s+")


def merge(ids, pair, new_id):
    out, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


class BPETokenizer:
    def __init__(self):
        self.merges = []

    def train(self, text, vocab_size):
        self.merges = []
        chunks = [list(chunk.encode("utf-8")) for chunk in PATTERN.findall(text)]
        while 256 + len(self.merges) < vocab_size:
            counts = Counter()
            for ids in chunks:
                counts.update(zip(ids, ids[1:], strict=False))
            if not counts:
                break
            pair, count = counts.most_common(1)[0]
            if count < 2:
                break
            new_id = 256 + len(self.merges)
            chunks = [merge(ids, pair, new_id) for ids in chunks]
            self.merges.append(pair)
        return list(self.merges)

    def encode(self, text):
        rank = {pair: i for i, pair in enumerate(self.merges)}
        out = []
        for chunk in PATTERN.findall(text):
            ids = list(chunk.encode("utf-8"))
            while len(ids) >= 2:
                best = min(zip(ids, ids[1:], strict=False), key=lambda p: rank.get(p, float("inf")))
                if best not in rank:
                    break
                ids = merge(ids, best, 256 + rank[best])
            out.extend(ids)
        return out
