import re
from collections import Counter, defaultdict
from itertools import pairwise


class BPETokenizer:
    # trains on distinct chunks weighted by their counts (the way real trainers save time)
    def __init__(self):
        self.merges = []

    @staticmethod
    def _replace(word, pair, new):
        out, i = [], 0
        while i < len(word):
            if word[i:i + 2] == pair:
                out.append(new)
                i += 2
            else:
                out.append(word[i])
                i += 1
        return tuple(out)

    def train(self, text, vocab_size):
        words = Counter(tuple(w.encode()) for w in re.findall(r" ?[^\s]+|\s+", text))
        self.merges = []
        for new in range(256, vocab_size):
            stats = defaultdict(int)
            for word, n in words.items():
                for pair in pairwise(word):
                    stats[pair] += n
            if not stats:
                break
            best = sorted(stats.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            if best[1] < 2:
                break
            merged = Counter()
            for word, n in words.items():
                merged[self._replace(word, best[0], new)] += n
            words = merged
            self.merges.append(best[0])
        return self.merges

    def encode(self, text):
        ids = []
        for word in re.findall(r" ?[^\s]+|\s+", text):
            parts = tuple(word.encode())
            for new, pair in enumerate(self.merges, start=256):  # merges in learned order = lowest rank first
                parts = self._replace(parts, pair, new)
            ids.extend(parts)
        return ids
