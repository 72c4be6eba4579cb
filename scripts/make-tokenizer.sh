#!/usr/bin/env bash
# Re-creates assets/tokenizer/cliplab-spm-8k.model (+ .vocab): a SentencePiece unigram model,
# vocabulary 8192, ids pad=0 unk=1 bos=2 eos=3, lower-cased (nmt_nfkc_cf) — trained on English text
# that Debian ships: WordNet glosses, plus the Fashion-MNIST caption vocabulary and the zero-shot
# prompt templates of this repository, so every word the captions and prompts use is well covered.
#
# Needs: spm_train (apt-get install sentencepiece), wordnet-base, python3.
# Deterministic: the corpus is written in a fixed order, sentences are not sampled or shuffled and
# training runs single-threaded, so re-running it reproduces the committed model.
# Why unigram: Microsoft.ML.Tokenizers 2.0.1 loads both unigram and bpe models; unigram is what
# sentencepiece recommends and the .NET unigram encoder applies the model's normalisation rules.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
wordnet_dir="${WORDNET_DIR:-/usr/share/wordnet}"
out_dir="$repo_root/assets/tokenizer"
model_prefix="$out_dir/cliplab-spm-8k"

command -v spm_train >/dev/null || { echo "spm_train not found: apt-get install sentencepiece" >&2; exit 1; }
for pos in noun verb adj adv; do
  [[ -f "$wordnet_dir/data.$pos" ]] || { echo "missing $wordnet_dir/data.$pos: apt-get install wordnet-base" >&2; exit 1; }
done

work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT
corpus="$work_dir/corpus.txt"

python3 - "$wordnet_dir" "$repo_root" "$corpus" <<'PY'
import itertools, json, sys

wordnet_dir, repo_root, corpus_path = sys.argv[1:4]
lines = []

# WordNet glosses: a data line is "offset lex_filenum ss_type ... | gloss". Lines starting with
# two spaces are the licence header. Each gloss may hold a definition and quoted examples
# separated by "; " — keep them as one sentence, they are short.
for pos in ("noun", "verb", "adj", "adv"):
    with open(f"{wordnet_dir}/data.{pos}", encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("  ") or "| " not in line:
                continue
            gloss = line.split("| ", 1)[1].strip()
            if gloss:
                lines.append(gloss)

# Fashion-MNIST caption vocabulary: expand every template with every noun of every class, rotating
# through attributes, glosses and image-derived words so all of them appear in context.
with open(f"{repo_root}/assets/captions/fashion-mnist.json", encoding="utf-8") as f:
    captions = json.load(f)
tones = [w for ws in captions["tones"].values() for w in ws]
shapes = [w for ws in captions["shapes"].values() for w in ws]
textures = [w for ws in captions["textures"].values() for w in ws]

def article(following):
    return "an" if following[:1].lower() in "aeiou" else "a"

counter = itertools.count()
for cls in captions["classes"]:
    lines.append(cls["label"])
    lines.extend(cls["glosses"])
    for template in captions["templates"]:
        for noun in cls["nouns"]:
            k = next(counter)
            text = (template
                    .replace("{noun}", noun)
                    .replace("{attr}", cls["attributes"][k % len(cls["attributes"])])
                    .replace("{gloss}", cls["glosses"][k % len(cls["glosses"])])
                    .replace("{tone}", tones[k % len(tones)])
                    .replace("{shape}", shapes[k % len(shapes)])
                    .replace("{texture}", textures[k % len(textures)]))
            while "{article}" in text:
                head, tail = text.split("{article}", 1)
                text = head + article(tail.strip()) + tail
            lines.append(text)

# Zero-shot prompt templates, filled with every class name of every shipped prompt set.
import glob
for path in sorted(glob.glob(f"{repo_root}/assets/prompts/*.json")):
    with open(path, encoding="utf-8") as f:
        prompts = json.load(f)
    for template in prompts["templates"]:
        for name in prompts["classnames"]:
            lines.append(template.replace("{}", name))

with open(corpus_path, "w", encoding="utf-8") as f:
    for line in lines:
        f.write(line.replace("\t", " ") + "\n")
print(f"corpus: {len(lines)} sentences", file=sys.stderr)
PY

mkdir -p "$out_dir"
# Relative paths only: the model records its training input and prefix, so absolute or temporary
# paths would make every run's bytes differ.
(
cd "$work_dir"
spm_train \
  --input=corpus.txt \
  --model_prefix=cliplab-spm-8k \
  --model_type=unigram \
  --vocab_size=8192 \
  --character_coverage=1.0 \
  --normalization_rule_name=nmt_nfkc_cf \
  --pad_id=0 --unk_id=1 --bos_id=2 --eos_id=3 \
  --input_sentence_size=0 \
  --shuffle_input_sentence=false \
  --num_threads=1 \
  --minloglevel=1
)
mv "$work_dir/cliplab-spm-8k.model" "$model_prefix.model"
mv "$work_dir/cliplab-spm-8k.vocab" "$model_prefix.vocab"

echo "wrote $model_prefix.model and $model_prefix.vocab" >&2
