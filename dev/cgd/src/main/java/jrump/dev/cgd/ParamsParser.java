package jrump.dev.cgd;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parameters file's grammar (cgdconfig(8) "Parameters File"): statements ending in ';', a keygen
 * statement followed by one unadorned statement or a brace-enclosed list of them; a backslash at the end of
 * a line continues it; '#' starts a comment. Every value is checked here, with the line it is on.
 */
final class ParamsParser {
    /** Bounds on what a hostile file can ask for. */
    static final int MAX_ITERATIONS = 1 << 30;
    static final int MAX_TEXT = 1 << 20;

    private record Token(String text, int line) {
    }

    private final String source;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    ParamsParser(String text, String source) throws ParamsException {
        this.source = source;
        if (text.length() > MAX_TEXT) throw new ParamsException(source + ": not a parameters file (over " + MAX_TEXT + " bytes)");
        tokenize(text);
    }

    private void tokenize(String text) {
        int line = 1;
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                flush(word, line);
                i++;
                line++;
            } else if (c == '#') {
                flush(word, line);
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') i++;
            } else if (c == ';' || c == '{' || c == '}') {
                flush(word, line);
                tokens.add(new Token(String.valueOf(c), line));
            } else if (Character.isWhitespace(c)) {
                flush(word, line);
                if (c == '\n') line++;
            } else {
                word.append(c);
            }
        }
        flush(word, line);
    }

    private void flush(StringBuilder word, int line) {
        if (word.isEmpty()) return;
        tokens.add(new Token(word.toString(), line));
        word.setLength(0);
    }

    private ParamsException error(Token at, String message) {
        return new ParamsException(source + (at == null ? "" : ", line " + at.line) + ": " + message);
    }

    private Token next(String expecting) throws ParamsException {
        if (pos >= tokens.size()) throw error(tokens.isEmpty() ? null : tokens.getLast(), "unexpected end of file, expecting " + expecting);
        return tokens.get(pos++);
    }

    private boolean peek(String text) {
        return pos < tokens.size() && tokens.get(pos).text.equals(text);
    }

    /** The words up to the next ';' (consumed), at least one; base64 split over lines joins up. */
    private List<Token> values(Token key) throws ParamsException {
        List<Token> out = new ArrayList<>();
        while (true) {
            Token t = next("';' after " + key.text);
            if (t.text.equals(";")) break;
            if (t.text.equals("{") || t.text.equals("}")) throw error(t, "unexpected '" + t.text + "' in " + key.text);
            out.add(t);
        }
        if (out.isEmpty()) throw error(key, key.text + " has no value");
        return out;
    }

    private String single(Token key) throws ParamsException {
        List<Token> v = values(key);
        if (v.size() != 1) throw error(v.get(1), key.text + " takes one value");
        return v.getFirst().text;
    }

    private int integer(Token key, int min, int max) throws ParamsException {
        String s = single(key);
        try {
            long v = Long.parseLong(s);
            if (v < min || v > max) throw error(key, key.text + " " + s + ": must be " + min + " to " + max);
            return (int) v;
        } catch (NumberFormatException e) {
            throw error(key, key.text + " " + s + ": not a number");
        }
    }

    private String base64(Token key) throws ParamsException {
        StringBuilder b = new StringBuilder();
        for (Token t : values(key)) b.append(t.text);
        return b.toString();
    }

    CgdParams parse() throws ParamsException {
        String algorithm = null;
        IvMethod iv = null;
        Integer keyLength = null;
        VerifyMethod verify = null;
        List<Keygen> keygens = new ArrayList<>();
        List<Token> keygenAt = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (pos < tokens.size()) {
            Token key = next("a statement");
            if (!key.text.equals("keygen") && !seen.add(key.text)) throw error(key, key.text + " given twice");
            switch (key.text) {
                case "algorithm" -> {
                    algorithm = single(key);
                    if (CgdParams.keyLengths(algorithm) == null) {
                        String why = switch (algorithm) {
                            case "3des-cbc", "blowfish-cbc", "adiantum" -> " is not supported by jrump (aes-xts, aes-cbc)";
                            default -> ": unknown (aes-xts, aes-cbc)";
                        };
                        throw error(key, "algorithm " + algorithm + why);
                    }
                }
                case "iv-method" -> {
                    try {
                        iv = IvMethod.of(single(key));
                    } catch (ParamsException e) {
                        throw error(key, e.getMessage());
                    }
                }
                case "keylength" -> keyLength = integer(key, 1, 4096);
                case "blocksize" -> {
                    int bs = integer(key, -1, 4096); // deprecated: the cipher's block size in bits, or -1
                    if (bs != -1 && bs != 128) throw error(key, "blocksize " + bs + ": AES blocks are 128 bits");
                }
                case "verify_method" -> {
                    try {
                        verify = VerifyMethod.of(single(key));
                    } catch (ParamsException e) {
                        throw error(key, e.getMessage());
                    }
                }
                case "keygen" -> {
                    keygenAt.add(key);
                    keygens.add(keygen(key));
                }
                case "xor_key" -> throw error(key, "xor_key (the pre-2003 keygen form) is not supported by jrump");
                default -> throw error(key, "unknown statement " + key.text);
            }
        }
        if (algorithm == null) throw error(null, "no algorithm statement");
        int[] lengths = CgdParams.keyLengths(algorithm);
        if (keyLength == null) keyLength = lengths[0];
        boolean valid = false;
        for (int l : lengths) valid |= l == keyLength;
        if (!valid) throw error(null, "keylength " + keyLength + ": " + algorithm + " takes " + java.util.Arrays.toString(lengths));
        if (keygens.isEmpty()) throw error(null, "no keygen statement");
        for (int i = 0; i < keygens.size(); i++) {
            Keygen k = keygens.get(i);
            if (k.method() == Keygen.Method.STOREDKEY && k.storedKey().length * 8 < keyLength) {
                throw error(keygenAt.get(i), "storedkey: the key has " + k.storedKey().length * 8 + " bits, keylength is " + keyLength);
            }
        }
        return new CgdParams(algorithm, iv == null ? IvMethod.ENCBLKNO1 : iv, keyLength, verify == null ? VerifyMethod.NONE : verify, keygens);
    }

    /** "keygen METHOD" then one statement, or "{ statements } ;", or just ";". */
    private Keygen keygen(Token at) throws ParamsException {
        Token m = next("a keygen method");
        Keygen.Method method;
        try {
            method = Keygen.Method.of(m.text);
        } catch (ParamsException e) {
            throw error(m, e.getMessage());
        }
        KeygenBody body = new KeygenBody(method);
        if (peek("{")) {
            pos++;
            while (!peek("}")) body.statement(next("a keygen statement or '}'"));
            pos++;
            if (peek(";")) pos++;
        } else if (peek(";")) {
            pos++; // "keygen randomkey;"
        } else {
            body.statement(next("a keygen statement")); // one unadorned statement: "keygen storedkey key ...;"
        }
        Integer iterations = body.iterations;
        byte[] salt = body.salt;
        int saltBits = body.saltBits;
        byte[] key = body.key;
        switch (method) {
            case PKCS5_PBKDF2_SHA1, PKCS5_PBKDF2 -> {
                if (iterations == null) throw error(at, "keygen " + method.keyword + " has no iterations");
                if (salt == null) throw error(at, "keygen " + method.keyword + " has no salt");
                if (key != null) throw error(at, "keygen " + method.keyword + " takes no key");
            }
            case STOREDKEY -> {
                if (key == null) throw error(at, "keygen storedkey has no key");
                if (salt != null || iterations != null) throw error(at, "keygen storedkey takes only a key");
            }
            case RANDOMKEY, URANDOMKEY -> {
                if (key != null || salt != null || iterations != null) throw error(at, "keygen " + method.keyword + " takes nothing");
            }
        }
        return new Keygen(method, iterations == null ? 0 : iterations, salt, saltBits, key);
    }

    private byte[] bits(Token at, String base64) throws ParamsException {
        try {
            return Bits.decode(base64, at.text);
        } catch (ParamsException e) {
            throw error(at, e.getMessage());
        }
    }

    /** The statements inside one keygen. */
    private final class KeygenBody {
        final Keygen.Method method;
        final Set<String> seen = new HashSet<>();
        Integer iterations;
        byte[] salt;
        int saltBits;
        byte[] key;

        KeygenBody(Keygen.Method method) {
            this.method = method;
        }

        void statement(Token s) throws ParamsException {
            if (!seen.add(s.text)) throw error(s, s.text + " given twice in keygen " + method.keyword);
            switch (s.text) {
                case "iterations" -> iterations = integer(s, 1, MAX_ITERATIONS);
                case "salt" -> {
                    String b = base64(s);
                    salt = bits(s, b);
                    saltBits = java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(b)).getInt();
                }
                case "key" -> key = bits(s, base64(s));
                default -> throw error(s, "keygen " + method.keyword + ": unknown statement " + s.text);
            }
        }
    }
}
