class BPETokenizer:
    """Byte-level BPE.

    Start from the 256 byte values (UTF-8 bytes of the text; id = byte value). Split the text into
    chunks with re.findall(r" ?[^\\s]+|\\s+", text); pairs never cross a chunk boundary.
    train(text, vocab_size): repeatedly merge the most frequent adjacent pair (counted over all chunks);
      ties go to the smallest pair (a, b); merge i gets id 256 + i and replaces the pair left to right,
      without overlaps. Stop at vocab_size ids, or earlier when no pair occurs at least twice.
      Return the merges, a list of (a, b) in the order learned.
    encode(text): per chunk, from its bytes, repeatedly merge the pair learned earliest among the pairs
      present, until no learned pair is left; return all ids in order.
    """

    def __init__(self):
        raise NotImplementedError("write BPETokenizer.__init__")

    def train(self, text: str, vocab_size: int) -> list[tuple[int, int]]:
        raise NotImplementedError("write BPETokenizer.train")

    def encode(self, text: str) -> list[int]:
        raise NotImplementedError("write BPETokenizer.encode")
