"""``metaloop`` command line: engine commands that run without the server.

    metaloop train-base      train the base detector on synthetic letters (models/letters-base)
    metaloop meta-train      meta-learn an initialization (reptile, fomaml, maml, metasgd, joint)
    metaloop bench fewshot   few-shot benchmark of initializations on held-out classes
    metaloop letters         write a synthetic letters dataset (PNG + COCO JSON)
"""

from __future__ import annotations

import argparse
import json
import logging
import shlex
import sys
from pathlib import Path

from .data.letters import BASE_CLASSES, LETTER_FOLDS, SceneConfig, iter_scenes, write_coco
from .detector import DetectorConfig


def _device(name: str) -> str:
    import torch

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return name


def cmd_train_base(args: argparse.Namespace) -> None:
    from .pretrain import PretrainConfig, pretrain

    arch = DetectorConfig(trunk=args.trunk, input_size=args.input_size)
    cfg = PretrainConfig(classes=tuple(args.classes.split(",")) if args.classes else BASE_CLASSES,
                         steps=args.steps, batch_size=args.batch_size, lr=args.lr, seed=args.seed,
                         eval_images=args.eval_images)
    card = pretrain(cfg, arch, args.out, args.name, checkpoint=args.checkpoint,
                    device=_device(args.device), command="metaloop " + shlex.join(sys.argv[1:]))
    print(f"wrote {args.out}/{args.name}.safetensors; metrics: {card['metrics']}")


def _dataset(args: argparse.Namespace):
    from .meta.episodes import DetectionDataset

    if args.dataset == "letters":
        return DetectionDataset.letters(args.images, seed=args.data_seed, image_size=args.input_size)
    return DetectionDataset.from_coco(args.dataset)


def _held_out(args: argparse.Namespace) -> list[str]:
    if args.held_out:
        return args.held_out.split(",")
    return [c for fold in LETTER_FOLDS for c in fold]


def cmd_meta_train(args: argparse.Namespace) -> None:
    from .meta.episodes import split_by_classes
    from .meta.learners import InnerLoop
    from .meta.train import MetaTrainConfig, meta_train
    from .model_io import read_card

    dataset = _dataset(args)
    split = split_by_classes(dataset, _held_out(args), seed=args.seed)
    inner = InnerLoop(steps=args.inner_steps, lr=args.inner_lr, optimizer=args.inner_optimizer,
                      batch_size=args.inner_batch, train_layers=args.inner_layers,
                      class_init=args.class_init, class_init_scale=args.class_init_scale)
    cfg = MetaTrainConfig(algorithm=args.algorithm, ways=args.ways, shots=args.shots,
                          query_shots=args.query_shots, meta_batch=args.meta_batch,
                          iterations=args.iterations, meta_lr=args.meta_lr, inner=inner,
                          rotate=not args.no_rotate, seed=args.seed, task_chunk=args.task_chunk,
                          checkpoint_every=args.checkpoint_every, freeze_trunk=args.freeze_trunk,
                          rate_meta_lr=args.rate_meta_lr)
    if args.freeze_trunk and not args.init:
        raise SystemExit("--freeze-trunk keeps the trunk of --init; give a model to start from")
    init = None
    if args.init:
        card_path = Path(args.init)
        init = (read_card(card_path), card_path.with_suffix(".safetensors"))
    arch = DetectorConfig.from_dict(init[0]["arch"]) if init else DetectorConfig(
        trunk=args.trunk, input_size=args.input_size)
    name = args.name or f"letters-{args.algorithm}"
    checkpoint = args.checkpoint or f".checkpoints/{name}.pt"
    card = meta_train(cfg, dataset, split, arch, args.out, name, init=init, checkpoint=checkpoint,
                      device=_device(args.device), command="metaloop " + shlex.join(sys.argv[1:]))
    print(f"wrote {args.out}/{name}.safetensors (final meta-loss {card['meta_training']['final_loss']})")


QUICK = {"folds": "0", "shots": "5", "steps": "10,50", "checkpoints": "10,50", "tasks": 2,
         "test_images": 30, "images": 1500, "stem": "fewshot-quick"}


def _preset_value(text: str):
    """A preset override from the command line: a number where it reads as one."""
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def parse_methods(text: str, caps: dict[str, int] | None = None) -> list:
    """``name=card.json[?key=value&...]`` or ``name=scratch``, comma-separated, into methods.
    A missing card is skipped with a message; a malformed item, a repeated name or an override
    the preset does not have (e.g. ``batchsize``) stops the command, naming it."""
    from .meta.fewshot import PRESET_KEYS, Method

    methods, caps = [], caps or {}
    for item in text.split(","):
        name, _, spec = item.partition("=")
        path, _, query = spec.partition("?")
        if not name or not path:
            raise SystemExit(f"--methods: {item!r} is not name=card.json[?key=value&...] or name=scratch")
        if any(m.name == name for m in methods):
            raise SystemExit(f"--methods: {name!r} is given twice")
        overrides = {}
        for kv in filter(None, query.split("&")):
            key, eq, value = kv.partition("=")
            if key not in PRESET_KEYS or not eq:
                raise SystemExit(f"--methods: {name}: {kv!r} is not key=value with a key in {PRESET_KEYS}")
            overrides[key] = _preset_value(value)
        if path == "scratch" and overrides:
            raise SystemExit(f"--methods: {name}: from scratch takes no preset overrides")
        if path != "scratch" and not Path(path).exists():
            print(f"skipping {name}: {path} not found (train it with metaloop meta-train)")
            continue
        methods.append(Method(name, None if path == "scratch" else path, caps.get(name), overrides))
    return methods


def explicit_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str:
    """The command as run with every option spelled out, defaults included: a results file's
    command then repeats its run after a default changes (the grid's checkpoints have)."""
    words = parser.prog.split()
    for action in parser._actions:  # argparse lists a parser's options nowhere public
        if not action.option_strings or action.dest in ("help", "quick"):
            continue  # --quick's values are already in args
        value, flag = getattr(args, action.dest), action.option_strings[-1]
        if action.nargs == 0:  # a flag (store_true and the like): written where it was given
            words += [flag] if value != action.default else []
        elif value is not None:
            words += [flag, str(value)]
    return shlex.join(words)


def cmd_bench_fewshot(args: argparse.Namespace) -> None:
    from .meta.fewshot import (
        FewshotConfig,
        combined_headline,
        run_fewshot,
        update_cards,
        write_report,
    )

    if args.quick:  # minutes on a CPU: one fold, 5-shot, 10 and 50 steps, two tasks
        for key, value in QUICK.items():
            setattr(args, key, value)

    caps = {name: int(cap) for name, _, cap in (item.partition("=") for item in args.max_steps.split(",") if item)}
    methods = parse_methods(args.methods, caps)
    folds = [list(LETTER_FOLDS[int(i)]) for i in args.folds.split(",")]
    ints = lambda text: [int(v) for v in text.split(",")]  # noqa: E731
    cfg = FewshotConfig(folds=folds, train_classes=list(BASE_CLASSES), methods=methods,
                        ways=args.ways, shots=ints(args.shots), steps=ints(args.steps),
                        checkpoints=ints(args.checkpoints), tasks=args.tasks,
                        test_images=args.test_images, seed=args.seed)
    out = Path(args.out)
    dataset = _dataset(args)
    results = run_fewshot(cfg, dataset, out / f"{args.stem}.json", device=_device(args.device),
                          command=explicit_command(args.parser, args), task_batch=args.task_batch)
    others = {name: json.loads(Path(name).read_text()) for name in args.compare_with.split(",") if name}
    combined = None
    if others:
        results["headline_combined"], combined = combined_headline(results, others)
        (out / f"{args.stem}.json").write_text(json.dumps(results, indent=1))
    md, png = write_report(results, out, args.stem, combined=combined)
    if args.update_cards:
        for path in update_cards(results, methods, str(out / f"{args.stem}.json")):
            print(f"benchmark row written into {path}")
    print(md.read_text())
    print(f"wrote {out / (args.stem + '.json')}, {md} and {png}")
    print(json.dumps(results.get("headline_combined") or results["headline"], indent=1))


def cmd_letters(args: argparse.Namespace) -> None:
    classes = args.classes.split(",")
    scenes = list(iter_scenes(args.seed, classes, args.count, SceneConfig(image_size=args.size)))
    path = write_coco(scenes, classes, args.out)
    print(f"wrote {args.count} images and {path}")


def cmd_pack(args: argparse.Namespace) -> None:
    from .model_io import pack_weights

    for card in args.cards:
        try:
            before, after = pack_weights(card, args.base, args.prefix)
        except ValueError as error:
            raise SystemExit(f"{card}: {error}") from None
        print(f"packed {card}: {before / 2**20:.1f} MiB → {after / 2**20:.1f} MiB ({args.prefix}* from {args.base})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="metaloop", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("train-base", help="train the base detector on synthetic letters")
    p.add_argument("--out", default="models")
    p.add_argument("--name", default="letters-base")
    p.add_argument("--classes", default="", help="comma-separated letters (default: the base classes)")
    p.add_argument("--trunk", default=DetectorConfig.trunk)
    p.add_argument("--input-size", type=int, default=DetectorConfig.input_size)
    p.add_argument("--steps", type=int, default=6000)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--eval-images", type=int, default=200)
    p.add_argument("--checkpoint", default=".checkpoints/letters-base.pt",
                   help="periodic checkpoint; an existing one is resumed")
    p.add_argument("--device", default="auto", help="cpu, cuda or auto")
    p.set_defaults(func=cmd_train_base)

    def dataset_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--dataset", default="letters", help="'letters' or a COCO JSON file")
        p.add_argument("--images", type=int, default=4000, help="letters: images to draw")
        p.add_argument("--data-seed", type=int, default=0, help="letters: drawing seed")
        p.add_argument("--input-size", type=int, default=DetectorConfig.input_size)
        p.add_argument("--device", default="auto", help="cpu, cuda or auto")
        p.add_argument("--seed", type=int, default=0)

    p = sub.add_parser("meta-train", help="meta-learn an initialization of the detector")
    dataset_args(p)
    p.add_argument("--algorithm", default="reptile", choices=["reptile", "fomaml", "maml", "metasgd", "joint"])
    p.add_argument("--held-out", default="", help="classes never trained on (default: both letter folds)")
    p.add_argument("--init", default="", help="a model card to start from, e.g. models/letters-base.json")
    p.add_argument("--trunk", default=DetectorConfig.trunk)
    p.add_argument("--ways", type=int, default=5)
    p.add_argument("--shots", type=int, default=5)
    p.add_argument("--query-shots", type=int, default=2)
    p.add_argument("--meta-batch", type=int, default=4)
    p.add_argument("--iterations", type=int, default=1000)
    p.add_argument("--meta-lr", type=float, default=1.0, help="Reptile's β, or the outer Adam's step")
    p.add_argument("--rate-meta-lr", type=float, default=None,
                   help="Meta-SGD: the outer step of the learned learning rates (default --meta-lr)")
    p.add_argument("--inner-steps", type=int, default=5)
    p.add_argument("--inner-lr", type=float, default=1e-3)
    p.add_argument("--inner-optimizer", default="adam", choices=["adam", "sgd"])
    p.add_argument("--inner-batch", type=int, default=8)
    p.add_argument("--inner-layers", default="all", choices=["all", "head", "classifier"],
                   help="what the inner loop adapts (head: pyramid + head, trunk fixed, as in ANIL)")
    p.add_argument("--class-init", default="model", choices=["model", "prototype"],
                   help="where each task's class rows start: the shared row (model), or moved "
                        "towards the support set's prototypes (prototype, as Proto-MAML); the "
                        "model's preset adapts the same way")
    p.add_argument("--class-init-scale", type=float, default=3.0,
                   help="with --class-init prototype: a class's mean logit rise at its prototype")
    p.add_argument("--no-rotate", action="store_true", help="no task-level rotation augmentation")
    p.add_argument("--freeze-trunk", action="store_true",
                   help="keep --init's trunk and meta-learn the pyramid and head (trunk features "
                        "are computed once per image)")
    p.add_argument("--task-chunk", type=int, default=None, help="tasks per vmap call (memory)")
    p.add_argument("--checkpoint-every", type=int, default=50)
    p.add_argument("--out", default="models")
    p.add_argument("--name", default="")
    p.add_argument("--checkpoint", default="", help="default .checkpoints/<name>.pt; resumed if present")
    p.set_defaults(func=cmd_meta_train)

    bench = sub.add_parser("bench", help="benchmarks").add_subparsers(dest="bench", required=True)
    p = bench.add_parser("fewshot", help="few-shot benchmark of initializations on held-out classes")
    dataset_args(p)
    p.add_argument("--methods", help="name=card.json[?preset_key=value&...] (preset overrides, e.g. "
                   "standard-classifier=models/letters-base.json?train_layers=classifier&lr=0.01), "
                   "or name=scratch", default=(
        "reptile=models/letters-reptile.json,fomaml=models/letters-fomaml.json,"
        "maml=models/letters-maml.json,metasgd=models/letters-metasgd.json,"
        "joint=models/letters-joint.json,standard=models/letters-base.json,"
        "standard-lr3e-4=models/letters-base.json?lr=0.0003,"
        "standard-classifier=models/letters-base.json?train_layers=classifier&lr=0.01,scratch=scratch,"
        # the whole support set in every step: cheap for the class-layer methods (frozen maps
        # cached), and standard pretraining with the same images per step as their control
        # (the FOMAML, MAML and Meta-SGD presets take the whole support set themselves; FOMAML's
        # and Meta-SGD's earlier 8 per step, as variants)
        "fomaml-b8=models/letters-fomaml.json?batch_size=8,"
        "metasgd-b8=models/letters-metasgd.json?batch_size=8,"
        "standard-classifier-full=models/letters-base.json?train_layers=classifier&lr=0.01&batch_size=100,"
        "standard-lr3e-4-b100=models/letters-base.json?lr=0.0003&batch_size=100"))
    p.add_argument("--folds", default="0,1")
    p.add_argument("--ways", type=int, default=5)
    p.add_argument("--shots", default="1,5,20")
    p.add_argument("--steps", default="10,100,1000")
    p.add_argument("--checkpoints", default="2,4,6,8,10,12,14,16,18,20,30,40,50,60,70,80,90,100,"
                   "120,140,160,180,200,500,1000",
                   help="steps at which every adaptation is scored (the ratio of steps to 90%% of "
                   "the 1000-step AP50 is read off these)")
    p.add_argument("--max-steps", default="",
                   help="per-method caps below the largest step count, e.g. 'scratch=10,standard=100'")
    p.add_argument("--tasks", type=int, default=3)
    p.add_argument("--test-images", type=int, default=100)
    p.add_argument("--out", default="bench/results")
    p.add_argument("--stem", default="fewshot")
    p.add_argument("--task-batch", type=int, default=1,
                   help="adapt up to this many tasks of a method and K in one batched (vmap) "
                   "computation: for a GPU (e.g. 6 = 2 folds × 3 tasks); 1 adapts them one by one")
    p.add_argument("--compare-with", default="",
                   help="other results files of the same tasks, comma-separated (e.g. the main "
                   "grid): the headline is also computed over all their methods; a method in "
                   "several is one curve where their shared checkpoints agree (finer checkpoints "
                   "or more steps of the same adaptations)")
    p.add_argument("--quick", action="store_true", help=f"a CPU-sized run: {QUICK}")
    p.add_argument("--update-cards", action="store_true",
                   help="write each model's results into its card's 'benchmark' field")
    p.set_defaults(func=cmd_bench_fewshot, parser=p)

    p = sub.add_parser("pack", help="store a shipped model without the tensors it shares with another "
                       "(e.g. the base model's frozen trunk); loading takes them from that model's file, checked by sha256")
    p.add_argument("cards", nargs="+", help="model cards, e.g. models/letters-fomaml.json")
    p.add_argument("--base", default="letters-base", help="the model beside them whose tensors they share")
    p.add_argument("--prefix", default="trunk.", help="the shared tensors' names start with this")
    p.set_defaults(func=cmd_pack)

    p = sub.add_parser("letters", help="write a synthetic letters dataset (PNG + COCO JSON)")
    p.add_argument("out")
    p.add_argument("--classes", default=",".join(BASE_CLASSES))
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_letters)
    return parser


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
