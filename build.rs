//! Build script: on Windows targets, embed the app icon (and version info) as a resource
//! so Explorer, the taskbar and the Start menu show it for `mi-workbench.exe`. Other
//! targets do nothing. Cross-compiling from Linux uses mingw-w64's `windres`
//! (Debian: gcc-mingw-w64-x86-64); MSVC builds use the Windows SDK's `rc.exe`.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/icons/icon.ico");
    if std::env::var("CARGO_CFG_TARGET_OS") == Ok("windows".into()) {
        let mut res = winresource::WindowsResource::new();
        res.set_icon("assets/icons/icon.ico")
            .set("ProductName", "MI Workbench")
            .set("FileDescription", "MI Workbench");
        if let Err(e) = res.compile() {
            // A missing resource compiler should not stop the build: the .exe works
            // without an Explorer icon (the window icon is set at run time).
            println!("cargo:warning=could not embed the Windows icon: {e}");
        }
    }
}
