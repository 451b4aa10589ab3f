/* Test-only stand-in for Windows' bcryptprimitives.dll, for running the Windows build
 * under Debian 12's Wine 8.0, which lacks that DLL (Rust's std has imported
 * ProcessPrng from it since Rust 1.78). Real Windows 10/11 have the DLL; this is never
 * shipped. Built and installed into a throwaway Wine prefix by wine_smoke.sh. */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, n)) return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
