import { api, call } from '../../api/client';
import type { LoginRequest } from '../../api/types';

export const authApi = {
  login: (body: LoginRequest) => call(api.POST('/api/v1/auth/login', { body })),
  logout: () => call(api.POST('/api/v1/auth/logout')),
};
