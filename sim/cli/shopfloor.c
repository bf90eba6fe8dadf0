/*
 * shopfloor.c: the program. Everything it does is in the sf_cli library
 * (main.c and the cmd_*.c files), so that tests can run the command
 * in-process.
 */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return sf_cli_main(argc, argv);
}
