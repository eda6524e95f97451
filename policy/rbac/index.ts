import { rbacNoClusterAdmin } from "./noClusterAdmin";
import { rbacNoWildcards } from "./noWildcards";
import { rbacTeamRolesRestricted } from "./teamRolesRestricted";

export const rbacPolicies = [rbacNoWildcards, rbacNoClusterAdmin, rbacTeamRolesRestricted];
