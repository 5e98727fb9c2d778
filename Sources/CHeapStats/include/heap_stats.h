#ifndef IM_HEAP_STATS_H
#define IM_HEAP_STATS_H
#include <stddef.h>

/// Bytes currently allocated by malloc (glibc mallinfo2().uordblks); 0 where unavailable.
size_t im_heap_bytes_in_use(void);

#endif
