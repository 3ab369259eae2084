from funnel.cli import main

raise SystemExit(main())
