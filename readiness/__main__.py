"""``python -m readiness`` runs the same CLI as the ``readiness`` script."""

from readiness.cli.app import main

main()
