"""Command line:

  python -m autotrace tour [N ...] [--list] [--no-color]
  python -m autotrace inspect FILE.py:FUNCTION [--args ARGS]... [--optimized] [--source]
                              [--dot | --dot-dir DIR]
  python -m autotrace show DIR
"""
import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autotrace",
                                     description="autotrace: tf.function rebuilt on NumPy")
    commands = parser.add_subparsers(dest="command", required=True)
    tour = commands.add_parser("tour", help="a live walk through autotrace and its pitfalls")
    tour.add_argument("chapters", nargs="*", type=int, help="chapter numbers (default: all)")
    tour.add_argument("--list", action="store_true", help="list the chapters")
    tour.add_argument("--no-color", action="store_true", help="plain text output")
    from .tools.inspect_command import add_parser as add_inspect_parser
    add_inspect_parser(commands)
    from .tools.show_command import add_parser as add_show_parser
    add_show_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "tour":
        from .tools.tour import list_chapters, run_tour
        if args.list:
            list_chapters()
        else:
            run_tour(args.chapters, color=False if args.no_color else None)
    elif args.command == "inspect":
        from .tools.inspect_command import run
        return run(args)
    elif args.command == "show":
        from .tools.show_command import run
        return run(args)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        sys.exit(0)
