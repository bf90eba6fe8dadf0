/*
 * error.h: the one table of error codes for every shopfloor layer.
 *
 * Functions that can fail return SF_OK (0) or one of the negative codes
 * below; sf_strerror turns a code into a short English phrase. The place
 * of an error (file:line:col, script line, simulated time) travels
 * separately, in the message buffers of the layer that found it.
 */
#ifndef SF_CORE_ERROR_H
#define SF_CORE_ERROR_H

#define SF_ERRORS(X)                                                   \
    X(SF_OK, 0, "success")                                             \
    X(SF_ENOMEM, -1, "out of memory")                                  \
    X(SF_EINVAL, -2, "invalid argument")                               \
    X(SF_ERANGE, -3, "value out of range")                             \
    X(SF_EPAST, -4, "time lies in the simulated past")                 \
    X(SF_ESTOPPED, -5, "run stopped")                                  \
    X(SF_EIO, -6, "input/output error")                                \
    X(SF_EPARSE, -7, "malformed input")                                \
    X(SF_ESCRIPT, -8, "script error")                                  \
    X(SF_ELIMIT, -9, "limit exceeded")                                 \
    X(SF_EDEADLOCK, -10, "deadlock")                                   \
    X(SF_ENOTFOUND, -11, "not found")                                  \
    X(SF_EUSAGE, -12, "usage error")                                   \
    X(SF_EUNIT, -13, "wrong kind of unit")

enum sf_error {
#define SF_ERR_ENUM(name, code, text) name = code,
    SF_ERRORS(SF_ERR_ENUM)
#undef SF_ERR_ENUM
};

/* A static phrase for `code`; never NULL, "unknown error" for codes not in the table. */
const char *sf_strerror(int code);

#endif
