"""Write a small text corpus in the formats of AI::MXNet's RNN examples into a directory.

    .venv/bin/python scripts/make_text_data.py DIR [--lines N] [--seed S] [--quiet]

It writes what the examples' get_sherlockholmes_data.sh downloads, made up here:

    sherlockholmes.train.txt, .valid.txt, .test.txt   one sentence a line, words separated by single spaces,
                                                      each line starting with a space (Penn Treebank's layout)
    input.txt                                         plain text for the character-level example

The sentences come from a small grammar (a subject, a verb, an object, sometimes a clause more), so a word's
successor is partly predictable and an LSTM's perplexity falls well below the vocabulary's size as it learns.
Sentence lengths spread over the examples' buckets (up to 60 words). The test and validation sets use only
words of the training set. The files are the same bytes for the same seed and size.
"""
import argparse
import os
import sys

import numpy as np

DETERMINERS = ["the", "a", "my", "his", "her", "this"]
ADJECTIVES = ["old", "dark", "quiet", "strange", "small", "famous", "young", "cold"]
NOUNS = ["man", "woman", "detective", "doctor", "letter", "house", "street", "door", "window", "lamp", "key",
         "clue", "inspector", "visitor", "carriage", "room"]
VERBS = ["found", "opened", "watched", "followed", "closed", "examined", "noticed", "carried", "left", "saw"]
LINKS = ["and", "while", "because", "when", "but"]


def phrase(rng):
    words = [DETERMINERS[rng.integers(len(DETERMINERS))]]
    if rng.random() < 0.5:
        words.append(ADJECTIVES[rng.integers(len(ADJECTIVES))])
    words.append(NOUNS[rng.integers(len(NOUNS))])
    return words


def sentence(rng, max_words=58):
    words = phrase(rng) + [VERBS[rng.integers(len(VERBS))]] + phrase(rng)
    while rng.random() < 0.7 and len(words) < max_words - 8:
        words += [LINKS[rng.integers(len(LINKS))]] + phrase(rng) + [VERBS[rng.integers(len(VERBS))]] + phrase(rng)
    return words + ["."]


def write(path, lines):
    with open(path, "w") as out:
        out.writelines(" " + " ".join(words) + " \n" for words in lines)


def make(directory, lines=2000, seed=0):
    """Write the four files into directory (made if missing); returns the directory."""
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(seed)
    write(os.path.join(directory, "sherlockholmes.train.txt"), [sentence(rng) for _ in range(lines)])
    for name in ("valid", "test"):
        write(os.path.join(directory, "sherlockholmes.%s.txt" % name), [sentence(rng) for _ in range(lines // 10)])
    with open(os.path.join(directory, "input.txt"), "w") as out:
        out.write("\n".join(" ".join(sentence(rng)) for _ in range(lines)) + "\n")
    return directory


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--lines", type=int, default=2000, help="training sentences (default 2000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    make(args.directory, args.lines, args.seed)
    if not args.quiet:
        print("wrote %d training sentences to %s" % (args.lines, args.directory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
