#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ThreadPlacement.h"

int elfstatsd_current_cpu(void) {
    return sched_getcpu();
}

int elfstatsd_allowed_cpus(void) {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return -1;
    return CPU_COUNT(&allowed);
}

// Every field is guarded by `mutex`. A thread's id is in `ids` only while the thread runs its
// body: it is put there before and taken out after, under the mutex, so `release` never sets
// the affinity of a thread that has ended (whose id the kernel may give to another).
struct elfstatsd_placement {
    pthread_mutex_t mutex;
    cpu_set_t allowed;     // the caller's affinity at `begin`
    int bound;             // 1 from `begin` (when it bound the caller) to `release`
    int callerCPU;
    int nextCPU;           // where the search for the next thread's CPU starts
    int slots;             // entries of `ids`: the caller's, then one per thread started
    int used;
    pid_t *ids;            // 0: ended, or not started yet
};

struct elfstatsd_thread_start {
    elfstatsd_placement *placement;
    int slot;
    elfstatsd_thread_body body;
    void *context;
};

static pid_t elfstatsd_thread_id(void) {
    return (pid_t)syscall(SYS_gettid);
}

elfstatsd_placement *elfstatsd_placement_begin(int threads) {
    elfstatsd_placement *placement = calloc(1, sizeof *placement);
    if (placement == NULL) return NULL;
    placement->slots = threads > 1 ? threads : 1;
    placement->ids = calloc((size_t)placement->slots, sizeof(pid_t));
    if (placement->ids == NULL || pthread_mutex_init(&placement->mutex, NULL) != 0) {
        free(placement->ids);
        free(placement);
        return NULL;
    }
    placement->ids[0] = elfstatsd_thread_id();
    placement->used = 1;
    int cpu = sched_getcpu();
    if (threads > 1 && cpu >= 0 && cpu < CPU_SETSIZE
        && sched_getaffinity(0, sizeof placement->allowed, &placement->allowed) == 0
        && CPU_ISSET(cpu, &placement->allowed) && CPU_COUNT(&placement->allowed) >= threads) {
        cpu_set_t here;
        CPU_ZERO(&here);
        CPU_SET(cpu, &here);
        if (sched_setaffinity(0, sizeof here, &here) == 0) {
            placement->bound = 1;
            placement->callerCPU = cpu;
        }
    }
    return placement;
}

int elfstatsd_placement_is_bound(elfstatsd_placement *placement) {
    pthread_mutex_lock(&placement->mutex);
    int bound = placement->bound;
    pthread_mutex_unlock(&placement->mutex);
    return bound;
}

static void *elfstatsd_thread_trampoline(void *argument) {
    struct elfstatsd_thread_start *start = argument;
    elfstatsd_placement *placement = start->placement;
    pthread_mutex_lock(&placement->mutex);
    if (start->slot >= 0) {
        placement->ids[start->slot] = elfstatsd_thread_id();
        // Released before this thread ran: it was created bound, so it lets itself go.
        if (!placement->bound) (void)sched_setaffinity(0, sizeof placement->allowed, &placement->allowed);
    }
    pthread_mutex_unlock(&placement->mutex);
    start->body(start->context);
    pthread_mutex_lock(&placement->mutex);
    if (start->slot >= 0) placement->ids[start->slot] = 0;
    pthread_mutex_unlock(&placement->mutex);
    free(start);
    return NULL;
}

int elfstatsd_placement_start_thread(elfstatsd_placement *placement, pthread_t *thread,
                                     elfstatsd_thread_body body, void *context) {
    struct elfstatsd_thread_start *start = malloc(sizeof *start);
    if (start == NULL) return -1;
    start->placement = placement;
    start->slot = -1;
    start->body = body;
    start->context = context;
    pthread_attr_t attributes;
    int result = pthread_attr_init(&attributes);
    if (result != 0) {
        free(start);
        return result;
    }
    pthread_mutex_lock(&placement->mutex);
    if (placement->bound && placement->used < placement->slots) {
        // The next CPU the caller may use, other than its own.
        for (int cpu = placement->nextCPU; cpu < CPU_SETSIZE; cpu++) {
            if (cpu == placement->callerCPU || !CPU_ISSET(cpu, &placement->allowed)) continue;
            cpu_set_t there;
            CPU_ZERO(&there);
            CPU_SET(cpu, &there);
            // glibc applies an attribute's affinity before the new thread first runs.
            if (pthread_attr_setaffinity_np(&attributes, sizeof there, &there) == 0) {
                start->slot = placement->used++;
                placement->nextCPU = cpu + 1;
            }
            break;
        }
    }
    pthread_mutex_unlock(&placement->mutex);
    result = pthread_create(thread, &attributes, elfstatsd_thread_trampoline, start);
    pthread_attr_destroy(&attributes);
    if (result != 0 && start->slot >= 0) {
        // Not bound then: a thread anywhere is worth more than none (its slot stays unused).
        start->slot = -1;
        result = pthread_create(thread, NULL, elfstatsd_thread_trampoline, start);
    }
    if (result != 0) free(start);
    return result;
}

void elfstatsd_placement_release(elfstatsd_placement *placement) {
    pthread_mutex_lock(&placement->mutex);
    if (placement->bound) {
        placement->bound = 0;
        for (int slot = 0; slot < placement->used; slot++) {
            // On failure a thread stays bound: it still reads, on its one CPU.
            if (placement->ids[slot] != 0) (void)sched_setaffinity(placement->ids[slot], sizeof placement->allowed, &placement->allowed);
        }
    }
    pthread_mutex_unlock(&placement->mutex);
}

void elfstatsd_placement_end(elfstatsd_placement *placement) {
    elfstatsd_placement_release(placement);
    pthread_mutex_destroy(&placement->mutex);
    free(placement->ids);
    free(placement);
}
