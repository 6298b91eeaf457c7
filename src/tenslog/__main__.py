from tenslog.cli.main import main

main()
