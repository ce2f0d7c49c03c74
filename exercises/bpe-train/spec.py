"""Cases for byte-level BPE: the worked example, ties decided by the smallest pair, runs of one
letter (no overlapping merges), words that must not merge across spaces, Chinese text (three
UTF-8 bytes a character), a vocabulary larger than the corpus supports (early stop), a tiny one,
and random word soups. Merges and encodings are compared exactly."""

import torch

from llmprep.exercise_api import Case

ENGLISH = ("the low lower lowest newer newest wider widest the the low new new "  # data: a corpus
           "a banana bandana and a bandanna\n  the end")
CHINESE = "大模型 大语言模型 语言模型 模型训练 训练大模型 你好 你好吗 你们好"
WORDS = ["low", "lower", "newest", "widest", "the", "and", "banana", "ban", "aaa", "模型", "语言", "你好",
         "token", "tokens", "to", "ken", "  ", "\n", "aa", "ab"]


def _case(name, corpus, vocab_size, held_out):
    return Case(name, (corpus, vocab_size, list(held_out)))


def fixed_cases():
    return [
        _case("worked-example", "aaabdaaabac", 300, ["aaab", "abac", "dab"]),
        _case("english-40-merges", ENGLISH, 296, ["the lowest banana", "newer and wider", "unseen words"]),
        _case("chinese-utf8-bytes", CHINESE, 290, ["大语言模型训练", "你们好吗"]),
        _case("runs-of-one-letter", "aaaaa aaa aaaa aa aaaaaaa", 270, ["aaaaaa", "a aa aaa"]),
        _case("no-merge-across-spaces", "ab ab ab ba ba ba b a b a", 270, ["ab ba", "b ab"]),
        _case("vocab-256-no-merges", ENGLISH, 256, ["the low"]),
        _case("one-merge", ENGLISH, 257, ["the low"]),
        _case("mixed-english-chinese", ENGLISH + " " + CHINESE, 320, ["lower 模型", "你好 the end"]),
        Case("trained-twice", (ENGLISH, 280, ["the low"]), {"train_first": CHINESE}),
    ]


def random_cases(gen, count):
    """`count` corpora of 30-80 words drawn from a small mixed vocabulary, 5-40 merges."""
    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    def soup(n):
        words = [WORDS[size(0, len(WORDS) - 1)] for _ in range(n)]
        return " ".join(words)

    return [_case(f"random-{i}", soup(size(30, 80)), 256 + size(5, 40), [soup(size(3, 10)), soup(size(3, 10))])
            for i in range(count)]


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, words, merges):
    """Train `merges` merges on a corpus of `words` random words, then encode it."""
    text = " ".join(WORDS[int(i)] for i in torch.randint(0, len(WORDS), (words,), generator=gen))
    return Case(f"words={words}", (text, 256 + merges, [text[:200]]))


def flops(case):
    """No floating-point work: count one operation per byte and merge (pair counting dominates)."""
    return len(case.args[0].encode("utf-8")) * (case.args[1] - 256)


def bytes_moved(case):
    """The corpus, read once per merge."""
    return len(case.args[0].encode("utf-8")) * max(1, case.args[1] - 256)


# No built-in: PyTorch has no tokenizer trainer


BENCH = Bench(dims={"words": [500, 2000, 8000]}, fixed={"merges": 50}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, quick={"words": 200, "merges": 20})
