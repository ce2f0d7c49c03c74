"""`llmprep bench`: timers, peaks (the roofline), ONNX export and sessions, and the bench runner."""
