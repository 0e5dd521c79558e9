// Placement of a new reading thread on a CPU other than its creator's (`once --jobs N`).
// glibc declares the affinity calls only under _GNU_SOURCE, which Swift's Glibc module does not
// set, so they are reached through this file.
#ifndef ELFSTATSD_THREAD_PLACEMENT_H
#define ELFSTATSD_THREAD_PLACEMENT_H

/// The CPU the calling thread runs on now, or -1.
int elfstatsd_current_cpu(void);

/// How many CPUs the calling thread may run on, or -1.
int elfstatsd_allowed_cpus(void);

/// Moves the calling thread off `cpu` when the CPUs it may run on include another one: its
/// affinity is narrowed to those others (the kernel moves it before the call returns), then
/// widened back, so that the scheduler stays free to place it later. 1 when it moved, 0 when
/// there was nowhere to go or it ran elsewhere already, -1 on an error (nothing changed).
int elfstatsd_leave_cpu(int cpu);

#endif
