"""``metaloop`` command line: engine commands that run without the server.

metaloop train-base      train the base detector on synthetic letters (models/letters-base)
metaloop meta-train      meta-learn an initialization (reptile, fomaml, maml, metasgd, joint)
metaloop letters         write a synthetic letters dataset (PNG + COCO JSON)
metaloop export-onnx     export a model (card + safetensors) to ONNX, decoding included
"""

from __future__ import annotations

import argparse
import logging
import shlex
import sys
from pathlib import Path

from .data.letters import BASE_CLASSES, LETTER_FOLDS, SceneConfig, iter_scenes, write_coco
from .detector import DetectorConfig
from .device import pick_device


def cmd_train_base(args: argparse.Namespace) -> None:
    from .pretrain import PretrainConfig, composite_classes, pretrain

    arch = _arch(args)
    if args.scenes == "composites":
        classes = composite_classes(args.composite_classes)
    else:
        classes = tuple(args.classes.split(",")) if args.classes else BASE_CLASSES
    cfg = PretrainConfig(
        classes=classes,
        steps=args.steps,
        batch_size=args.batch_size,
        lr=args.lr,
        seed=args.seed,
        eval_images=args.eval_images,
        pool=args.pool,
    )
    card = pretrain(
        cfg,
        arch,
        args.out,
        args.name,
        checkpoint=args.checkpoint,
        device=pick_device(args.device),
        command="metaloop " + shlex.join(sys.argv[1:]),
    )
    print(f"wrote {args.out}/{args.name}.safetensors; metrics: {card['metrics']}")


def _arch(args: argparse.Namespace) -> DetectorConfig:
    """The architecture the arguments ask for (``--trunk``, ``--input-size``, ``--fpn-channels``,
    ``--scale-mode``)."""
    return DetectorConfig(
        trunk=args.trunk,
        input_size=args.input_size,
        fpn_channels=args.fpn_channels,
        scale_mode=args.scale_mode,
    )


def _dataset(args: argparse.Namespace):
    from .meta.episodes import DetectionDataset, composites_dataset, concat_datasets

    def composites():
        first, last = (int(v) for v in args.kinds.split(":"))
        return composites_dataset(
            args.images, range(first, last), seed=args.data_seed, image_size=args.input_size
        )

    if args.dataset == "letters":
        return DetectionDataset.letters(
            args.images, seed=args.data_seed, image_size=args.input_size
        )
    if args.dataset == "composites":
        return composites()
    if args.dataset == "mixed":  # letters and composites, half the images each
        letters = DetectionDataset.letters(
            args.images // 2, seed=args.data_seed, image_size=args.input_size
        )
        args.images -= args.images // 2
        return concat_datasets([letters, composites()])
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
    inner = InnerLoop(
        steps=args.inner_steps,
        lr=args.inner_lr,
        optimizer=args.inner_optimizer,
        batch_size=args.inner_batch,
        train_layers=args.inner_layers,
        class_init=args.class_init,
        class_init_scale=args.class_init_scale,
    )
    cfg = MetaTrainConfig(
        algorithm=args.algorithm,
        ways=args.ways,
        shots=args.shots,
        query_shots=args.query_shots,
        meta_batch=args.meta_batch,
        iterations=args.iterations,
        meta_lr=args.meta_lr,
        inner=inner,
        rotate=not args.no_rotate,
        seed=args.seed,
        task_chunk=args.task_chunk,
        checkpoint_every=args.checkpoint_every,
        freeze_trunk=args.freeze_trunk,
        rate_meta_lr=args.rate_meta_lr,
    )
    if args.freeze_trunk and not args.init:
        raise SystemExit("--freeze-trunk keeps the trunk of --init; give a model to start from")
    init = None
    if args.init:
        card_path = Path(args.init)
        init = (read_card(card_path), card_path.with_suffix(".safetensors"))
    arch = (
        DetectorConfig.from_dict(init[0]["arch"])
        if init
        else DetectorConfig(trunk=args.trunk, input_size=args.input_size)
    )
    name = args.name or f"letters-{args.algorithm}"
    checkpoint = args.checkpoint or f".checkpoints/{name}.pt"
    card = meta_train(
        cfg,
        dataset,
        split,
        arch,
        args.out,
        name,
        init=init,
        checkpoint=checkpoint,
        device=pick_device(args.device),
        command="metaloop " + shlex.join(sys.argv[1:]),
    )
    print(
        f"wrote {args.out}/{name}.safetensors "
        f"(final meta-loss {card['meta_training']['final_loss']})"
    )


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
        print(
            f"packed {card}: {before / 2**20:.1f} MiB → {after / 2**20:.1f} MiB "
            f"({args.prefix}* from {args.base})"
        )


def _model_card(name: str) -> Path:
    """A model card's path: a path as given, else ``models/<name>.json`` here or in the
    repository."""
    for candidate in (
        Path(name),
        Path("models") / f"{name}.json",
        Path(__file__).resolve().parents[2] / "models" / f"{name}.json",
    ):
        if candidate.is_file():
            return candidate
    raise SystemExit(f"no model card {name!r} (a path, or a name in models/)")


def cmd_export_onnx(args: argparse.Namespace) -> None:
    from .onnx_export import export_card

    classes = args.classes.split(",") if args.classes else None
    try:
        export_card(
            _model_card(args.model), args.out, classes, progress=print, scale=args.working_scale
        )
    except ValueError as error:
        raise SystemExit(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    from .meta.learners import InnerLoop
    from .routine import CLASS_INITS, TRAIN_LAYERS

    inner = InnerLoop()  # the inner loop's options default to its own defaults
    parser = argparse.ArgumentParser(
        prog="metaloop", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def arch_args(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--trunk",
            default=DetectorConfig.trunk,
            help="backbone: resnet10 (letters) or efficientnet_lite0 (ImageNet, frozen)",
        )
        p.add_argument("--input-size", type=int, default=DetectorConfig.input_size)
        p.add_argument("--fpn-channels", type=int, default=DetectorConfig.fpn_channels)
        p.add_argument(
            "--scale-mode", default=DetectorConfig.scale_mode, choices=["letterbox", "tiles"]
        )

    p = sub.add_parser("train-base", help="train a base detector on synthetic scenes")
    p.add_argument("--out", default="models")
    p.add_argument("--name", default="letters-base")
    p.add_argument(
        "--scenes",
        default="letters",
        choices=["letters", "composites"],
        help="letters on white, or textured objects on real and procedural textures",
    )
    p.add_argument(
        "--classes", default="", help="comma-separated letters (default: the base classes)"
    )
    p.add_argument("--composite-classes", type=int, default=64, help="composites: how many kinds")
    p.add_argument(
        "--pool",
        type=int,
        default=3000,
        help="a frozen backbone: scenes drawn once and run through it once",
    )
    arch_args(p)
    p.add_argument("--steps", type=int, default=6000)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--eval-images", type=int, default=200)
    p.add_argument(
        "--checkpoint",
        default=".checkpoints/letters-base.pt",
        help="periodic checkpoint; an existing one is resumed",
    )
    p.add_argument("--device", default="auto", help="cpu, cuda or auto")
    p.set_defaults(func=cmd_train_base)

    def dataset_args(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--dataset",
            default="letters",
            help="'letters', 'composites', 'mixed' (both) or a COCO JSON file",
        )
        p.add_argument(
            "--kinds",
            default="64:192",
            help="composites: the object kinds (class seeds) first:last, last excluded",
        )
        p.add_argument("--images", type=int, default=4000, help="letters: images to draw")
        p.add_argument("--data-seed", type=int, default=0, help="letters: drawing seed")
        p.add_argument("--input-size", type=int, default=DetectorConfig.input_size)
        p.add_argument("--device", default="auto", help="cpu, cuda or auto")
        p.add_argument("--seed", type=int, default=0)

    p = sub.add_parser("meta-train", help="meta-learn an initialization of the detector")
    dataset_args(p)
    p.add_argument(
        "--algorithm", default="reptile", choices=["reptile", "fomaml", "maml", "metasgd", "joint"]
    )
    p.add_argument(
        "--held-out", default="", help="classes never trained on (default: both letter folds)"
    )
    p.add_argument(
        "--init", default="", help="a model card to start from, e.g. models/letters-base.json"
    )
    p.add_argument("--trunk", default=DetectorConfig.trunk)
    p.add_argument("--ways", type=int, default=5)
    p.add_argument("--shots", type=int, default=5)
    p.add_argument("--query-shots", type=int, default=2)
    p.add_argument("--meta-batch", type=int, default=4)
    p.add_argument("--iterations", type=int, default=1000)
    p.add_argument(
        "--meta-lr", type=float, default=1.0, help="Reptile's β, or the outer Adam's step"
    )
    p.add_argument(
        "--rate-meta-lr",
        type=float,
        default=None,
        help="Meta-SGD: the outer step of the learned learning rates (default --meta-lr)",
    )
    p.add_argument("--inner-steps", type=int, default=inner.steps)
    p.add_argument("--inner-lr", type=float, default=inner.lr)
    p.add_argument("--inner-optimizer", default=inner.optimizer, choices=["adam", "sgd"])
    p.add_argument("--inner-batch", type=int, default=inner.batch_size)
    p.add_argument(
        "--inner-layers",
        default=inner.train_layers,
        choices=TRAIN_LAYERS,
        help="what the inner loop adapts (head: pyramid + head, trunk fixed, as in ANIL)",
    )
    p.add_argument(
        "--class-init",
        default=inner.class_init,
        choices=CLASS_INITS,
        help="where each task's class rows start: the shared row (model), or moved "
        "towards the support set's prototypes (prototype, as Proto-MAML); the "
        "model's preset adapts the same way",
    )
    p.add_argument(
        "--class-init-scale",
        type=float,
        default=inner.class_init_scale,
        help="with --class-init prototype: a class's mean logit rise at its prototype",
    )
    p.add_argument("--no-rotate", action="store_true", help="no task-level rotation augmentation")
    p.add_argument(
        "--freeze-trunk",
        action="store_true",
        help="keep --init's trunk and meta-learn the pyramid and head (trunk features "
        "are computed once per image)",
    )
    p.add_argument("--task-chunk", type=int, default=None, help="tasks per vmap call (memory)")
    p.add_argument("--checkpoint-every", type=int, default=50)
    p.add_argument("--out", default="models")
    p.add_argument("--name", default="")
    p.add_argument(
        "--checkpoint", default="", help="default .checkpoints/<name>.pt; resumed if present"
    )
    p.set_defaults(func=cmd_meta_train)

    p = sub.add_parser(
        "pack",
        help="store a shipped model without the tensors it shares with another "
        "(e.g. the base model's frozen trunk); loading takes them from that model's file, "
        "checked by sha256",
    )
    p.add_argument("cards", nargs="+", help="model cards, e.g. models/letters-fomaml.json")
    p.add_argument(
        "--base", default="letters-base", help="the model beside them whose tensors they share"
    )
    p.add_argument("--prefix", default="trunk.", help="the shared tensors' names start with this")
    p.set_defaults(func=cmd_pack)

    p = sub.add_parser("letters", help="write a synthetic letters dataset (PNG + COCO JSON)")
    p.add_argument("out")
    p.add_argument("--classes", default=",".join(BASE_CLASSES))
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_letters)

    p = sub.add_parser(
        "export-onnx",
        help="export a model to ONNX with its box and score decoding; its card, with how to "
        "pre- and post-process (the onnx section), is written beside it",
    )
    p.add_argument("model", help="a model card, or a name in models/ (e.g. letters-metasgd)")
    p.add_argument(
        "--out",
        required=True,
        help="the .onnx file; its card (with the onnx section) goes beside it as .json",
    )
    p.add_argument(
        "--classes",
        default="",
        help="comma-separated classes (default the card's; required for a model not adapted yet)",
    )
    p.add_argument(
        "--working-scale",
        type=float,
        default=None,
        help="a tiles model's image → input scale, recorded in the card (default the card's, "
        "an adapted model's, else 1)",
    )
    p.set_defaults(func=cmd_export_onnx)
    return parser


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
