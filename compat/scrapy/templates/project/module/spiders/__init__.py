# Spider modules of this project live in this package.
#
# Add one with the genspider command; the list command shows them all.
