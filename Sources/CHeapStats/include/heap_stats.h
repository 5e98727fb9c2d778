#ifndef IM_HEAP_STATS_H
#define IM_HEAP_STATS_H
#include <stddef.h>

/// Bytes currently allocated by malloc (glibc mallinfo2().uordblks); 0 where unavailable.
size_t im_heap_bytes_in_use(void);

/// Serves allocations below `mmap_threshold` bytes from the heap and keeps up to `trim_threshold` bytes of free heap
/// (glibc mallopt M_MMAP_THRESHOLD, M_TRIM_THRESHOLD); does nothing elsewhere.
void im_keep_large_buffers_on_heap(size_t mmap_threshold, size_t trim_threshold);

#endif
