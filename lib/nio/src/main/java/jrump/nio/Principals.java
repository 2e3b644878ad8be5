package jrump.nio;

import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/**
 * Owners as numbers: an image carries uids and gids, not the names of any host's password file, so a
 * principal's name is its number ("1000") and lookups take numbers only.
 */
final class Principals {
    record User(int uid) implements UserPrincipal {
        @Override
        public String getName() {
            return Integer.toString(uid);
        }
    }

    record Group(int gid) implements GroupPrincipal {
        @Override
        public String getName() {
            return Integer.toString(gid);
        }
    }

    static final UserPrincipalLookupService LOOKUP = new UserPrincipalLookupService() {
        @Override
        public UserPrincipal lookupPrincipalByName(String name) throws UserPrincipalNotFoundException {
            return new User(number(name));
        }

        @Override
        public GroupPrincipal lookupPrincipalByGroupName(String group) throws UserPrincipalNotFoundException {
            return new Group(number(group));
        }
    };

    private Principals() {
    }

    private static int number(String name) throws UserPrincipalNotFoundException {
        try {
            long n = Long.parseLong(name);
            if (n < 0 || n > 0xFFFFFFFFL) throw new UserPrincipalNotFoundException(name);
            return (int) n;
        } catch (NumberFormatException e) {
            throw new UserPrincipalNotFoundException(name);
        }
    }

    /** The uid of a principal of ours, or of any principal whose name is a number. */
    static int uid(UserPrincipal p) throws UserPrincipalNotFoundException {
        return p instanceof User u ? u.uid() : number(p.getName());
    }

    static int gid(GroupPrincipal p) throws UserPrincipalNotFoundException {
        return p instanceof Group g ? g.gid() : number(p.getName());
    }
}
