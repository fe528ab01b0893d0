# The guild package here holds op_main, the launcher that guild (the C
# program) uses to run an operation's Python main module, so that run
# commands read "python -um guild.op_main MODULE -- FLAGS" as in Guild AI,
# and the modules of Guild AI's package that projects name in guild.yml
# (guild.pass).
