from orch_tui.cli import main

raise SystemExit(main())
