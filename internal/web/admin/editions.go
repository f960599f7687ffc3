package admin

import "github.com/gin-gonic/gin"

func (a *Console) editionsRoutes(g *gin.RouterGroup) {}
