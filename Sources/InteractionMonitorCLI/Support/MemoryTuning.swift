import CHeapStats

/// The command-line process's allocator settings, made once before any command runs.
///
/// Readers open megabyte-sized chunks of sealed frames one after another. With glibc's defaults each buffer above
/// the (dynamic) mmap threshold is a fresh mapping that is zero-filled page by page by the kernel and unmapped when
/// freed, and a freed heap top is trimmed at once: reading a store then spends a fifth of its time in page faults.
/// Buffers up to 4 MiB come from the heap and up to 32 MiB of free heap is kept for the next chunk. This is the
/// command's own process only: the library never changes an embedding application's allocator.
enum MemoryTuning {
    static func apply() {
        im_keep_large_buffers_on_heap(4 << 20, 32 << 20)
    }
}
