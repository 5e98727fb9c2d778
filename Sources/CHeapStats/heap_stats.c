// Heap accounting for `interaction-monitor bench` (buffered_bytes_per_1000).
#include "heap_stats.h"
#if defined(__linux__)
#include <malloc.h>
#endif

size_t im_heap_bytes_in_use(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    return mallinfo2().uordblks;
#else
    return 0;
#endif
}
