/** picocli (Apache License 2.0, https://picocli.info), the same module as its own jar declares. */
module info.picocli {
    requires static java.sql;
    exports picocli;
}
