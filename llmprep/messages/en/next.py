"""`llmprep next`."""

MESSAGES = {
    "next.overall": "{passed}/{exercises} exercises passed, {seen}/{questions} questions seen",
    "next.overall_no_bank": "{passed}/{exercises} exercises passed, {seen} questions seen",
    "next.reviews_due": "{count} review(s) due now: {command}",
    "next.next_review": "No review is due; the next one is due {when}.",
    "next.no_reviews": "No reviews scheduled yet: {command} to start.",
    "next.exercise_new": "Next exercise: {exercise} ({title}): {command}",
    "next.exercise_continue": "Next exercise: {exercise} ({title}), attempted, not passed yet: {command}",
    "next.all_passed": "Every exercise is passed. Try {command} to time one.",
    "next.heading": "What to do next",
}
