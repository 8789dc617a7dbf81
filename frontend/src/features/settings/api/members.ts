// The members of a project and their roles: anyone in it can list them, owners change them.
export const membersKey = (projectId: number) => ["members", projectId] as const;
