"""Classic wrong BPE tokenizers, each with the diagnosis it earns (classes, like the entry)."""

import re
from collections import Counter
from itertools import pairwise

from llmprep.exercise_api import Mistake

CHUNK = re.compile(r" ?[^\s]+|\s+")


class _BPE:
    first_seen_ties = False
    overlapping = False
    whole_text = False
    leftmost_encode = False
    code_points = False

    def __init__(self):
        self.merges = []

    def _units(self, text):
        pieces = [text] if self.whole_text else CHUNK.findall(text)
        if self.code_points:
            return [[ord(c) for c in piece] for piece in pieces]
        return [list(piece.encode("utf-8")) for piece in pieces]

    def _merge(self, ids, pair, new_id):
        out, i = [], 0
        while i < len(ids):
            if i + 1 < len(ids) and (ids[i], ids[i + 1]) == pair:
                out.append(new_id)
                i += 1 if self.overlapping else 2
                if self.overlapping and i == len(ids) - 1:
                    i += 1  # the last id was part of the pair
            else:
                out.append(ids[i])
                i += 1
        return out

    def train(self, text, vocab_size):
        chunks = self._units(text)
        self.merges = []
        while 256 + len(self.merges) < vocab_size:
            counts = Counter(p for ids in chunks for p in pairwise(ids))
            if not counts or max(counts.values()) < 2:
                break
            top = max(counts.values())
            tied = [p for p, c in counts.items() if c == top]
            pair = tied[0] if self.first_seen_ties else min(tied)
            chunks = [self._merge(ids, pair, 256 + len(self.merges)) for ids in chunks]
            self.merges.append(pair)
        return list(self.merges)

    def encode(self, text):
        rank = {p: i for i, p in enumerate(self.merges)}
        out = []
        for ids in self._units(text):
            while len(ids) >= 2:
                present = [p for p in pairwise(ids) if p in rank]
                if not present:
                    break
                pair = present[0] if self.leftmost_encode else min(present, key=rank.get)
                ids = self._merge(ids, pair, 256 + rank[pair])
            out += ids
        return out


class FirstSeenTieBreak(_BPE):
    first_seen_ties = True


class OverlappingMerges(_BPE):
    overlapping = True


class PairsCrossChunks(_BPE):
    whole_text = True


class EncodeLeftmostPair(_BPE):
    leftmost_encode = True


class CodePointsNotBytes(_BPE):
    code_points = True


MISTAKES = [
    Mistake(id="first-seen-tie-break", implementation=FirstSeenTieBreak,
            en="Looks like ties between equally frequent pairs go to the pair seen first (dict order, as "
               "max(counts, key=counts.get) does): this exercise breaks ties by the smallest pair (a, b), so the "
               "merges do not depend on iteration order.",
            zh="看起来频率相同的对中你选了最先出现的那个（字典顺序，如 max(counts, key=counts.get)）：本题按最小的对 "
               "(a, b) 打破平局，使合并结果不依赖遍历顺序。"),
    Mistake(id="overlapping-merges", implementation=OverlappingMerges,
            en="Looks like a merge also replaces overlapping occurrences (\"aaa\" became two tokens aa, aa): after "
               "replacing a pair at i, continue at i + 2, so \"aaa\" becomes [aa, a].",
            zh="看起来合并时把重叠的出现也替换了（\"aaa\" 变成了 aa、aa 两个词）：在位置 i 替换一个对之后应从 i + 2 "
               "继续，所以 \"aaa\" 变成 [aa, a]。"),
    Mistake(id="pairs-cross-chunks", implementation=PairsCrossChunks,
            en="Looks like pairs are counted across the whole text: split it into chunks first "
               "(re.findall(r\" ?[^\\s]+|\\s+\", text)) and never merge across a chunk boundary, e.g. the last "
               "letter of a word with the space before the next.",
            zh="看起来你在整段文本上统计了相邻对：应先切成块（re.findall(r\" ?[^\\s]+|\\s+\", text)），"
               "永远不跨块合并，例如一个词的最后一个字母和下一个词前面的空格。"),
    Mistake(id="encode-leftmost-pair", implementation=EncodeLeftmostPair,
            en="Looks like encode merges the leftmost learned pair first: it must apply the pair learned EARLIEST "
               "(lowest merge index) among those present, exactly as training did.",
            zh="看起来 encode 先合并了最左边的已学习对：应先合并当前存在的对中**最早学到**的（合并序号最小），"
               "与训练时的顺序完全一致。"),
    Mistake(id="code-points-not-bytes", implementation=CodePointsNotBytes,
            en="Looks like you start from Unicode code points (ord(c)) instead of UTF-8 bytes: byte-level BPE "
               "starts from text.encode(\"utf-8\"), so 你 is three base ids (228, 189, 160) and every text is "
               "covered by 256 base ids.",
            zh="看起来你是从 Unicode 码位（ord(c)）而不是 UTF-8 字节开始的：字节级 BPE 从 text.encode(\"utf-8\") "
               "开始，所以“你”是三个基础 id（228、189、160），256 个基础 id 就能覆盖任何文本。"),
]
