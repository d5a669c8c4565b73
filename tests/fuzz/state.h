/* Forced first into every library and tool file of the whole-tool harness
 * (fuzz_tool.c) when clang builds it for libFuzzer: their writable globals
 * go to sections of their own, tt_data and tt_bss, which the harness sets
 * back before each run, so that every run starts as a fresh process would. */
#pragma clang section bss = "tt_bss" data = "tt_data"
