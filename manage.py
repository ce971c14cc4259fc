#!/usr/bin/env python
"""Django's command-line utility; the same as the `tilannekuva` console script."""

from tilannekuva.cli import main

if __name__ == "__main__":
    main()
