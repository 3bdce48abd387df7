"""Training the gates: generated and read conversations, unrolled through the memory, and
the losses that fit the gate networks. Nothing here is imported by the memory a bot uses;
``gatedmem train`` and the benchmarks are its callers."""
