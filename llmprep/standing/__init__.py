"""Where a learner stands, built from the store (and the bank and catalog for totals): the report of
`llmprep progress` and the advice of `llmprep next`. The quiz, grading and bench packages each keep
their own records; only this package reads them all together.
"""
