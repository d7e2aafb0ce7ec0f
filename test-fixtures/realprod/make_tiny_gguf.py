#!/usr/bin/env python3
"""Writes a tiny llama model (2 layers, 64 wide, random weights) that llama-server loads and serves:
enough to answer every read-only endpoint as a real deployment does, in a few megabytes.

Usage: make_tiny_gguf.py GGUF_PY_DIR OUT.gguf
  GGUF_PY_DIR  gguf-py of the same llama.cpp source as the server (its writer and constants)
The vocabulary is the real llama SentencePiece one, read from that source's
models/ggml-vocab-llama-spm.gguf, so tokenizing works like a real Llama model.
"""
import os
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
import gguf  # noqa: E402

SRC = os.path.dirname(os.path.abspath(sys.argv[1]))
OUT = sys.argv[2]
N_EMBD, N_FF, N_LAYER, N_HEAD = 64, 128, 2, 4

vocab = gguf.GGUFReader(os.path.join(SRC, "models", "ggml-vocab-llama-spm.gguf"))


def field(name):
    f = vocab.fields[name]
    if f.types[0] == gguf.GGUFValueType.ARRAY:
        if f.types[1] == gguf.GGUFValueType.STRING:
            return [bytes(f.parts[i]).decode("utf-8") for i in f.data]
        return [f.parts[i].tolist()[0] for i in f.data]
    if f.types[0] == gguf.GGUFValueType.STRING:
        return bytes(f.parts[f.data[0]]).decode("utf-8")
    return f.parts[f.data[0]].tolist()[0]


tokens = field("tokenizer.ggml.tokens")
n_vocab = len(tokens)
w = gguf.GGUFWriter(OUT, "llama")
w.add_name("aiscan-tiny-random-llama")
w.add_context_length(512)
w.add_embedding_length(N_EMBD)
w.add_block_count(N_LAYER)
w.add_feed_forward_length(N_FF)
w.add_head_count(N_HEAD)
w.add_head_count_kv(N_HEAD)
w.add_rope_dimension_count(N_EMBD // N_HEAD)
w.add_layer_norm_rms_eps(1e-5)
w.add_file_type(gguf.LlamaFileType.ALL_F32)
w.add_tokenizer_model("llama")
w.add_tokenizer_pre("default")
w.add_token_list(tokens)
w.add_token_scores(field("tokenizer.ggml.scores"))
w.add_token_types(field("tokenizer.ggml.token_type"))
w.add_bos_token_id(field("tokenizer.ggml.bos_token_id"))
w.add_eos_token_id(field("tokenizer.ggml.eos_token_id"))
w.add_unk_token_id(field("tokenizer.ggml.unknown_token_id"))
w.add_add_bos_token(True)
w.add_add_eos_token(False)

rng = np.random.default_rng(42)


def t(name, *shape):
    w.add_tensor(name, (rng.standard_normal(shape) * 0.02).astype(np.float32))


t("token_embd.weight", n_vocab, N_EMBD)
w.add_tensor("output_norm.weight", np.ones(N_EMBD, dtype=np.float32))
t("output.weight", n_vocab, N_EMBD)
for i in range(N_LAYER):
    w.add_tensor("blk.%d.attn_norm.weight" % i, np.ones(N_EMBD, dtype=np.float32))
    for m in ("attn_q", "attn_k", "attn_v", "attn_output"):
        t("blk.%d.%s.weight" % (i, m), N_EMBD, N_EMBD)
    w.add_tensor("blk.%d.ffn_norm.weight" % i, np.ones(N_EMBD, dtype=np.float32))
    t("blk.%d.ffn_gate.weight" % i, N_FF, N_EMBD)
    t("blk.%d.ffn_up.weight" % i, N_FF, N_EMBD)
    t("blk.%d.ffn_down.weight" % i, N_EMBD, N_FF)

w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file()
w.close()
print("wrote", OUT, os.path.getsize(OUT), "bytes,", n_vocab, "tokens")
