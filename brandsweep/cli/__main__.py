from brandsweep.cli import main

main()
