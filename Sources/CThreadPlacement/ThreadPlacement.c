#define _GNU_SOURCE
#include <sched.h>
#include "ThreadPlacement.h"

int elfstatsd_current_cpu(void) {
    return sched_getcpu();
}

int elfstatsd_allowed_cpus(void) {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return -1;
    return CPU_COUNT(&allowed);
}

int elfstatsd_leave_cpu(int cpu) {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return -1;
    if (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &allowed) || sched_getcpu() != cpu) return 0;
    cpu_set_t elsewhere = allowed;
    CPU_CLR(cpu, &elsewhere);
    if (CPU_COUNT(&elsewhere) == 0) return 0;
    if (sched_setaffinity(0, sizeof elsewhere, &elsewhere) != 0) return -1;
    // Widened back at once: the thread now runs on another CPU and stays there unless the
    // scheduler has a reason to move it, which it may again, as for any other thread.
    if (sched_setaffinity(0, sizeof allowed, &allowed) != 0) return -1;
    return 1;
}
