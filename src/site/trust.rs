//! A site that a privileged process opens must be one only the privileged could have changed:
//! its database names the servicing command that a runner executes as root or SYSTEM. Run as
//! root (Unix) or as an administrator or SYSTEM (Windows), a site folder or database that
//! anyone else may write, or that someone else owns, is refused, with how to fix it.

use std::path::Path;

use crate::error::{Error, Result};

/// Checks each path that exists (a site being created has no database yet).
pub(super) fn check_trusted(paths: &[&Path]) -> Result<()> {
    if !platform::privileged() {
        return Ok(());
    }
    for path in paths.iter().filter(|p| p.exists()) {
        if let Some(reason) = platform::untrusted(path)? {
            return Err(Error::Untrusted {
                path: path.to_path_buf(),
                reason,
            });
        }
    }
    Ok(())
}

#[cfg(unix)]
mod platform {
    use std::os::unix::fs::MetadataExt;
    use std::path::Path;

    use crate::error::{IoContext, Result};

    pub(super) fn privileged() -> bool {
        // SAFETY: geteuid has no preconditions and cannot fail.
        unsafe { libc::geteuid() == 0 }
    }

    /// Why root should not trust the path: an owner other than root, or write access for
    /// its group or everyone.
    pub(super) fn untrusted(path: &Path) -> Result<Option<String>> {
        let metadata = std::fs::metadata(path).at(path)?;
        let mode = metadata.mode() & 0o7777;
        if metadata.uid() == 0 && mode & 0o022 == 0 {
            return Ok(None);
        }
        Ok(Some(format!(
            "owned by uid {} with mode {mode:o}: a runner as root executes the servicing command this site's database names, so only root may change the site (fix: chown root:root '{}' && chmod go-w '{}')",
            metadata.uid(),
            path.display(),
            path.display()
        )))
    }
}

#[cfg(windows)]
mod platform {
    use std::ffi::c_void;
    use std::io;
    use std::os::windows::ffi::OsStrExt;
    use std::path::Path;

    use crate::error::{IoContext, Result};

    type Sid = c_void;

    #[repr(C)]
    struct Acl {
        revision: u8,
        reserved: u8,
        size: u16,
        ace_count: u16,
        reserved2: u16,
    }

    #[repr(C)]
    struct AceHeader {
        ace_type: u8,
        flags: u8,
        size: u16,
    }

    #[repr(C)]
    struct AccessAllowedAce {
        header: AceHeader,
        mask: u32,
        sid_start: u32,
    }

    const SE_FILE_OBJECT: i32 = 1;
    const OWNER_SECURITY_INFORMATION: u32 = 0x1;
    const DACL_SECURITY_INFORMATION: u32 = 0x4;
    const ACCESS_ALLOWED_ACE_TYPE: u8 = 0;
    const INHERIT_ONLY_ACE: u8 = 0x8;
    /// Write data or add files, append or add folders, write extended attributes, delete
    /// children, write attributes, delete, change the DACL or the owner, generic write or all.
    const WRITE_RIGHTS: u32 = 0x2
        | 0x4
        | 0x10
        | 0x40
        | 0x100
        | 0x1_0000
        | 0x4_0000
        | 0x8_0000
        | 0x1000_0000
        | 0x4000_0000;
    /// WinLocalSystemSid, WinBuiltinAdministratorsSid.
    const TRUSTED: [i32; 2] = [22, 26];

    #[link(name = "advapi32")]
    extern "system" {
        fn GetNamedSecurityInfoW(
            name: *const u16,
            object_type: i32,
            information: u32,
            owner: *mut *mut Sid,
            group: *mut *mut Sid,
            dacl: *mut *mut Acl,
            sacl: *mut *mut Acl,
            descriptor: *mut *mut c_void,
        ) -> u32;
        fn GetAce(acl: *const Acl, index: u32, ace: *mut *mut c_void) -> i32;
        fn IsWellKnownSid(sid: *const Sid, well_known: i32) -> i32;
        fn ConvertSidToStringSidW(sid: *const Sid, text: *mut *mut u16) -> i32;
        fn OpenProcessToken(process: *mut c_void, access: u32, token: *mut *mut c_void) -> i32;
        fn GetTokenInformation(
            token: *mut c_void,
            class: i32,
            information: *mut c_void,
            length: u32,
            returned: *mut u32,
        ) -> i32;
        fn EqualSid(a: *const Sid, b: *const Sid) -> i32;
    }

    #[link(name = "kernel32")]
    extern "system" {
        fn LocalFree(memory: *mut c_void) -> *mut c_void;
        fn GetCurrentProcess() -> *mut c_void;
        fn CloseHandle(handle: *mut c_void) -> i32;
    }

    const TOKEN_QUERY: u32 = 0x8;
    const TOKEN_USER_CLASS: i32 = 1;

    /// The account this process runs as (TOKEN_USER's SID, in the buffer that holds it).
    struct ProcessUser(Vec<u64>);

    impl ProcessUser {
        fn current() -> Option<ProcessUser> {
            // SAFETY: the token is this process's own and closed here; the buffer is sized by
            // the first call and aligned for the TOKEN_USER it receives.
            unsafe {
                let mut token = std::ptr::null_mut();
                if OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) == 0 {
                    return None;
                }
                let mut size = 0;
                GetTokenInformation(token, TOKEN_USER_CLASS, std::ptr::null_mut(), 0, &mut size);
                let mut buffer = vec![0u64; (size as usize).div_ceil(8).max(1)];
                let read = GetTokenInformation(
                    token,
                    TOKEN_USER_CLASS,
                    buffer.as_mut_ptr().cast(),
                    size,
                    &mut size,
                );
                CloseHandle(token);
                (read != 0).then_some(ProcessUser(buffer))
            }
        }

        /// TOKEN_USER starts with a pointer to the SID.
        fn sid(&self) -> *const Sid {
            self.0[0] as usize as *const Sid
        }
    }

    #[link(name = "shell32")]
    extern "system" {
        fn IsUserAnAdmin() -> i32;
    }

    pub(super) fn privileged() -> bool {
        // SAFETY: no arguments; true for an elevated administrator and for SYSTEM.
        unsafe { IsUserAnAdmin() != 0 }
    }

    /// Why an administrator should not trust the path: an owner other than SYSTEM,
    /// Administrators or the account this process runs as (an elevated administrator owns what
    /// it makes), no DACL, or an allowed ACE that lets anyone else write.
    pub(super) fn untrusted(path: &Path) -> Result<Option<String>> {
        let name: Vec<u16> = path.as_os_str().encode_wide().chain([0]).collect();
        let (mut owner, mut dacl, mut descriptor) = (
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        );
        // SAFETY: the name is NUL-terminated; owner and DACL point into the descriptor, which
        // is freed with LocalFree once they are read, as the call documents.
        unsafe {
            let failed = GetNamedSecurityInfoW(
                name.as_ptr(),
                SE_FILE_OBJECT,
                OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
                &mut owner,
                std::ptr::null_mut(),
                &mut dacl,
                std::ptr::null_mut(),
                &mut descriptor,
            );
            if failed != 0 {
                return Err(io::Error::from_raw_os_error(failed as i32)).at(path);
            }
            let reason = judge(owner, dacl, ProcessUser::current().as_ref());
            LocalFree(descriptor);
            Ok(reason.map(|why| {
                format!(
                    "{why}: an administrator's runner executes the servicing command this site's database names, so only SYSTEM and Administrators may change the site (fix: icacls \"{}\" /setowner *S-1-5-32-544 /T && icacls \"{}\" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F /T)",
                    path.display(),
                    path.display()
                )
            }))
        }
    }

    /// # Safety
    /// `owner` and `dacl` come from one security descriptor that is still allocated.
    unsafe fn judge(owner: *mut Sid, dacl: *mut Acl, me: Option<&ProcessUser>) -> Option<String> {
        let trusted = |sid: *const Sid| {
            trusted_account(sid)
                || me.is_some_and(|me| !sid.is_null() && EqualSid(sid, me.sid()) != 0)
        };
        if !trusted(owner) {
            return Some(format!("owned by {}", sid_text(owner)));
        }
        if dacl.is_null() {
            return Some("it has no access list: everyone may change it".into());
        }
        for index in 0..u32::from((*dacl).ace_count) {
            let mut ace = std::ptr::null_mut();
            if GetAce(dacl, index, &mut ace) == 0 {
                continue;
            }
            let header = &*(ace as *const AceHeader);
            if header.ace_type != ACCESS_ALLOWED_ACE_TYPE || header.flags & INHERIT_ONLY_ACE != 0 {
                continue;
            }
            let allowed = &*(ace as *const AccessAllowedAce);
            let sid = std::ptr::addr_of!(allowed.sid_start) as *mut Sid;
            if allowed.mask & WRITE_RIGHTS != 0 && !trusted(sid) {
                return Some(format!("{} may change it", sid_text(sid)));
            }
        }
        None
    }

    /// SYSTEM and Administrators.
    unsafe fn trusted_account(sid: *const Sid) -> bool {
        !sid.is_null() && TRUSTED.iter().any(|&known| IsWellKnownSid(sid, known) != 0)
    }

    unsafe fn sid_text(sid: *const Sid) -> String {
        let mut text = std::ptr::null_mut();
        if sid.is_null() || ConvertSidToStringSidW(sid, &mut text) == 0 {
            return "an unknown account".into();
        }
        let length = (0..).take_while(|&i| *text.add(i) != 0).count();
        let owned = String::from_utf16_lossy(std::slice::from_raw_parts(text, length));
        LocalFree(text.cast());
        match owned.as_str() {
            "S-1-1-0" => "Everyone (S-1-1-0)".into(),
            "S-1-5-11" => "Authenticated Users (S-1-5-11)".into(),
            "S-1-5-32-545" => "Users (S-1-5-32-545)".into(),
            _ => owned,
        }
    }
}
