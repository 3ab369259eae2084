"""Reading a file nobody here made: vocabularies, column roles, stage order and pipelines."""
