package jrump.nio;

import java.util.regex.PatternSyntaxException;

/**
 * FileSystem.getPathMatcher's glob syntax as a regular expression: {@code *} within a name, {@code **}
 * across names, {@code ?} one character of a name, {@code [...]} classes ({@code [!...]} negated),
 * {@code {a,b}} alternatives (not nested), {@code \} escaping.
 */
final class Globs {
    private static final String REGEX_META = ".^$+{[]|()";

    private Globs() {
    }

    static String toRegex(String glob) {
        StringBuilder re = new StringBuilder("^");
        boolean inGroup = false;
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i++);
            switch (c) {
                case '\\' -> {
                    if (i == glob.length()) throw new PatternSyntaxException("no character to escape", glob, i - 1);
                    char next = glob.charAt(i++);
                    if (isMeta(next)) re.append('\\');
                    re.append(next);
                }
                case '/' -> re.append('/');
                case '[' -> i = bracket(glob, i, re);
                case '{' -> {
                    if (inGroup) throw new PatternSyntaxException("cannot nest groups", glob, i - 1);
                    re.append("(?:(?:");
                    inGroup = true;
                }
                case '}' -> {
                    if (inGroup) {
                        re.append("))");
                        inGroup = false;
                    } else {
                        re.append('}');
                    }
                }
                case ',' -> re.append(inGroup ? ")|(?:" : ",");
                case '*' -> {
                    if (i < glob.length() && glob.charAt(i) == '*') {
                        re.append(".*");
                        i++;
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                default -> {
                    if (isMeta(c)) re.append('\\');
                    re.append(c);
                }
            }
        }
        if (inGroup) throw new PatternSyntaxException("missing '}'", glob, i - 1);
        return re.append('$').toString();
    }

    private static int bracket(String glob, int i, StringBuilder re) {
        re.append("[[^/]&&[");
        if (i < glob.length() && glob.charAt(i) == '!') {
            re.append('^');
            i++;
        } else if (i < glob.length() && glob.charAt(i) == '^') {
            re.append("\\^");
            i++;
        }
        boolean any = false;
        while (i < glob.length()) {
            char c = glob.charAt(i++);
            if (c == ']' && any) {
                return appendClose(re, i);
            }
            if (c == '/') throw new PatternSyntaxException("explicit '/' in a class", glob, i - 1);
            if (c == '\\' || c == '[' || c == '&' && i < glob.length() && glob.charAt(i) == '&') re.append('\\');
            re.append(c);
            any = true;
        }
        throw new PatternSyntaxException("missing ']'", glob, i - 1);
    }

    private static int appendClose(StringBuilder re, int i) {
        re.append("]]");
        return i;
    }

    private static boolean isMeta(char c) {
        return REGEX_META.indexOf(c) >= 0 || c == '\\' || c == '*' || c == '?';
    }
}
