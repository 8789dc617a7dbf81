"""``metaloop`` command line: engine commands that run without the server.

    metaloop train-base   train the base detector on synthetic letters (models/letters-base)
    metaloop letters      write a synthetic letters dataset (PNG + COCO JSON)
"""

from __future__ import annotations

import argparse
import logging
import shlex
import sys

from .data.letters import BASE_CLASSES, SceneConfig, iter_scenes, write_coco
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


def cmd_letters(args: argparse.Namespace) -> None:
    classes = args.classes.split(",")
    scenes = list(iter_scenes(args.seed, classes, args.count, SceneConfig(image_size=args.size)))
    path = write_coco(scenes, classes, args.out)
    print(f"wrote {args.count} images and {path}")


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
