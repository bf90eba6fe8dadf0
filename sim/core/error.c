#include "core/error.h"

const char *sf_strerror(int code)
{
    switch (code) {
#define SF_ERR_CASE(name, value, text) \
    case value:                        \
        return text;
        SF_ERRORS(SF_ERR_CASE)
#undef SF_ERR_CASE
    }
    return "unknown error";
}
