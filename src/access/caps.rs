//! Role capabilities (SPEC §1): what a person may *do*, next to the catalog that says which
//! sections *exist*. Computed once per request from the role (and whether a staff member is
//! only previewing); handlers, templates and the route guard all ask [`Caps::can`], so the rule
//! lives here and nowhere else.

use crate::users::model::Role;

/// One thing a role may do beyond seeing the sections its customer's profile grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    /// See account balances (customer administrators).
    SeeBalance,
    /// Edit the customer's company profile (customer administrators).
    EditCompany,
    /// See the private part of access codes (customer administrators and developers).
    SeePrivateCodes,
    /// Create and revoke personal API tokens (customer administrators and developers; staff).
    ManageTokens,
    /// Manage the customer's portal users (customer administrators).
    ManageUsers,
    /// Change anything at all: false while a staff member previews a customer's portal.
    Write,
    /// Create, edit and delete access profiles; manage staff (staff `admin`).
    Administer,
}

impl Cap {
    pub const ALL: [Cap; 7] = [
        Cap::SeeBalance,
        Cap::EditCompany,
        Cap::SeePrivateCodes,
        Cap::ManageTokens,
        Cap::ManageUsers,
        Cap::Write,
        Cap::Administer,
    ];

    fn bit(self) -> u16 {
        1 << (self as u16)
    }

    /// Whether `role` has the capability (a preview is read-only whatever the role).
    fn of(self, role: Role, preview: bool) -> bool {
        if preview {
            return matches!(self, Cap::SeeBalance | Cap::SeePrivateCodes) && self.of(role, false);
        }
        match self {
            Cap::SeeBalance | Cap::EditCompany | Cap::ManageUsers => role == Role::Administrator,
            Cap::SeePrivateCodes => matches!(role, Role::Administrator | Role::Developer),
            Cap::ManageTokens => matches!(role, Role::Administrator | Role::Developer | Role::Admin | Role::Manager),
            Cap::Write => true,
            Cap::Administer => role == Role::Admin,
        }
    }
}

/// The capabilities of one request's person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Caps(u16);

impl Caps {
    pub fn of(role: Role, preview: bool) -> Caps {
        Caps(Cap::ALL.iter().filter(|c| c.of(role, preview)).fold(0, |acc, c| acc | c.bit()))
    }

    pub fn can(self, cap: Cap) -> bool {
        self.0 & cap.bit() != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_of_spec_section_one() {
        let admin = Caps::of(Role::Administrator, false);
        let dev = Caps::of(Role::Developer, false);
        let user = Caps::of(Role::User, false);
        assert!(admin.can(Cap::SeeBalance) && admin.can(Cap::EditCompany) && admin.can(Cap::ManageUsers));
        assert!(admin.can(Cap::SeePrivateCodes) && admin.can(Cap::ManageTokens));
        assert!(dev.can(Cap::SeePrivateCodes) && dev.can(Cap::ManageTokens));
        assert!(!dev.can(Cap::SeeBalance) && !dev.can(Cap::EditCompany) && !dev.can(Cap::ManageUsers));
        assert!(!user.can(Cap::SeePrivateCodes) && !user.can(Cap::ManageTokens) && !user.can(Cap::SeeBalance));
        assert!(user.can(Cap::Write));
        assert!(Caps::of(Role::Admin, false).can(Cap::Administer));
        assert!(!Caps::of(Role::Manager, false).can(Cap::Administer));
        // A preview shows the `user` role's portal and changes nothing.
        let preview = Caps::of(Role::User, true);
        assert!(!preview.can(Cap::Write) && !preview.can(Cap::SeePrivateCodes));
    }
}
