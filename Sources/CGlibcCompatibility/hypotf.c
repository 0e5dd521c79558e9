// Keeps the binaries runnable on glibc 2.34 (EL 9) when they are linked against a newer glibc
// (Debian 12 has 2.36).
//
// Swift's Glibc overlay (libswiftGlibc.a, linked in by --static-swift-stdlib) calls hypotf.
// glibc 2.35 added a new version of it, hypotf@GLIBC_2.35, and a program linked there binds that
// version, so it would not start on an older glibc ("version `GLIBC_2.35' not found") although
// elfstatsd never calls hypotf. It was the only symbol newer than GLIBC_2.34 in either binary
// (objdump -T, Swift 6.3.1 on Debian 12). Defining hypotf here, in the executable, makes the
// overlay's reference resolve to this function, which calls the version every x86-64 and
// aarch64 glibc has (GLIBC_2.2.5 on x86-64, GLIBC_2.17 on aarch64). Both versions compute
// sqrt(x*x + y*y) without overflow; 2.35 only made it faster.
#if defined(__x86_64__)
__asm__(".symver elfstatsd_glibc_hypotf, hypotf@GLIBC_2.2.5");
#elif defined(__aarch64__)
__asm__(".symver elfstatsd_glibc_hypotf, hypotf@GLIBC_2.17");
#else
#error "name hypotf's oldest glibc symbol version for this architecture"
#endif

float elfstatsd_glibc_hypotf(float x, float y);

float hypotf(float x, float y) {
    return elfstatsd_glibc_hypotf(x, y);
}
