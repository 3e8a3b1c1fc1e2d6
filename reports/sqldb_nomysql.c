/*
 * sqldb_nomysql - the MySQL/MariaDB slot of the SQL seam in a build
 * without MariaDB Connector/C: every member NULL, so sqldb_open() says
 * so instead of failing later.
 */
#include "sqldb.h"

const struct sqldb_ops sqldb_mysql_ops;
