# Spider modules of this project live in this package.
#
# Add one with `ascrapy genspider NAME DOMAIN`; `ascrapy list` shows them all.
