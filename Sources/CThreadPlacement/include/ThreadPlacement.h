// Placement of the reading threads of `once --jobs N` on CPUs of their own.
// glibc declares the affinity calls only under _GNU_SOURCE, which Swift's Glibc module does not
// set, so they are reached through this file.
#ifndef ELFSTATSD_THREAD_PLACEMENT_H
#define ELFSTATSD_THREAD_PLACEMENT_H

#include <pthread.h>

/// The CPU the calling thread runs on now, or -1.
int elfstatsd_current_cpu(void);

/// How many CPUs the calling thread may run on, or -1.
int elfstatsd_allowed_cpus(void);

/// The threads of one parallel read and the CPUs they are bound to.
typedef struct elfstatsd_placement elfstatsd_placement;

/// What a thread started by `elfstatsd_placement_start_thread` runs.
typedef void (*elfstatsd_thread_body)(void *context);

/// Begins placing `threads` reading threads, the caller included. When the caller may run on at
/// least that many CPUs, the threads are bound: the caller to the CPU it runs on now, each thread
/// started later to another CPU the caller may run on, until `elfstatsd_placement_release`.
/// Otherwise nothing is bound. NULL when memory is short (then start threads with
/// pthread_create).
elfstatsd_placement *elfstatsd_placement_begin(int threads);

/// Whether the threads of `placement` are bound to CPUs of their own (until released).
int elfstatsd_placement_is_bound(elfstatsd_placement *placement);

/// Starts a thread that runs `body(context)`: bound to a CPU of its own when the placement is,
/// created so, so that it never runs elsewhere first. Returns pthread_create's result (0:
/// started; otherwise `body` is never called).
int elfstatsd_placement_start_thread(elfstatsd_placement *placement, pthread_t *thread,
                                     elfstatsd_thread_body body, void *context);

/// Lets every thread of the placement that still runs (the caller of `begin` included) run
/// again on all the CPUs the caller was allowed at `begin`. Called by a thread that has nothing
/// left to read, so that the others may use its CPU; once is enough, more calls do nothing.
void elfstatsd_placement_release(elfstatsd_placement *placement);

/// Releases the placement and frees it: by the caller of `begin`, after joining the threads.
void elfstatsd_placement_end(elfstatsd_placement *placement);

#endif
